package gpuos.profiler.external;

/**
 * One marker line: {@code name} or {@code name COUNT}, where COUNT is how many operations the phase runs (so its
 * results are per operation). A bad count is not fatal: the phase keeps its name, counts as one operation, and
 * {@link #problem()} says why.
 *
 * @param problem null when the line was well formed
 */
record Marker(String name, long ops, String problem) {
    static Marker parse(String line) {
        String s = line.strip();
        int space = s.lastIndexOf(' ');
        if (space < 0) return new Marker(s, 1, null);
        String name = s.substring(0, space).strip(), count = s.substring(space + 1);
        try {
            long ops = Long.parseLong(count);
            if (ops > 0) return new Marker(name, ops, null);
        } catch (NumberFormatException ignored) {
            // fall through to the problem
        }
        return new Marker(name, 1, "marker '" + s + "': the operation count must be a whole number above 0,"
                + " got '" + count + "'; phase '" + name + "' is counted as 1 operation");
    }
}
