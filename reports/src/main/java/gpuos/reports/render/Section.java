package gpuos.reports.render;

/** One part of report.md, in the order {@link MarkdownReport#sections} lists them; it writes nothing where it has nothing to say. */
@FunctionalInterface
interface Section {
    void write(StringBuilder md);
}
