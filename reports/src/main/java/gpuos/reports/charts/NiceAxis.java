package gpuos.reports.charts;

/**
 * A linear value axis that ends on round numbers at or beyond the data: min and max are multiples of a step of 1, 2
 * or 5 times a power of ten giving about {@link #TICKS} intervals. XChart left to itself ends the axis at the data and
 * labels only the round ticks inside it, so the highest values sat above the last tick label.
 */
record NiceAxis(double min, double max, double step) {
    static final int TICKS = 5;

    static NiceAxis of(double low, double high) {
        if (!Double.isFinite(low) || !Double.isFinite(high)) return new NiceAxis(0, 1, 0.2);
        if (low > 0 && low < high / 2) low = 0; // counts and times read against 0 where it is not far
        if (high == low) {
            double pad = high == 0 ? 1 : Math.abs(high) * 0.1;
            low -= pad;
            high += pad;
        }
        double step = step((high - low) / TICKS);
        return new NiceAxis(Math.floor(low / step + 1e-9) * step, Math.ceil(high / step - 1e-9) * step, step);
    }

    /** The smallest of 1, 2 and 5 times a power of ten at or above {@code rough}. */
    static double step(double rough) {
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double multiple : new double[] {1, 2, 5, 10}) {
            if (multiple * power >= rough * (1 - 1e-9)) return multiple * power;
        }
        return 10 * power;
    }
}
