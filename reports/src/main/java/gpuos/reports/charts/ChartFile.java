package gpuos.reports.charts;

/** A rendered chart: its file name under charts/, its title (the markdown caption) and the PNG. */
public record ChartFile(String fileName, String title, byte[] png) {}
