package gpuos.reports.charts;

/**
 * A rendered chart: its file name under charts/, its title (the markdown heading), a caption shown under it
 * (empty for none; the chart draws the same text) and the PNG.
 */
public record ChartFile(String fileName, String title, String caption, byte[] png) {
    public ChartFile(String fileName, String title, byte[] png) {
        this(fileName, title, "", png);
    }
}
