package gpuos.reports.render;

import gpuos.reports.stats.ConfidenceInterval;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Numbers as the report prints them: an estimate shows as many decimals as its uncertainty supports. */
public final class Format {
    /** Significant digits of an uncertainty (two, so 0.014 does not round to 0.01). */
    static final int UNCERTAINTY_DIGITS = 2;
    static final int VALUE_DIGITS = 4;
    private static final int MAX_DECIMALS = 9;

    private Format() {}

    public static String significant(double value, int digits) {
        if (Double.isNaN(value)) return "n/a";
        if (Double.isInfinite(value)) return value > 0 ? "∞" : "-∞";
        if (value == 0) return "0";
        return new BigDecimal(value).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }

    /** Decimals that show {@link #UNCERTAINTY_DIGITS} significant digits of {@code uncertainty}. */
    static int decimalsFor(double uncertainty) {
        if (!(uncertainty > 0) || Double.isInfinite(uncertainty)) return -1;
        int decimals = UNCERTAINTY_DIGITS - 1 - (int) Math.floor(Math.log10(uncertainty));
        return Math.clamp(decimals, 0, MAX_DECIMALS);
    }

    private static String fixed(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) return significant(value, VALUE_DIGITS);
        if (Math.abs(value) < 0.5 * Math.pow(10, -decimals)) value = 0.0; // not "-0.0000"
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** Where every fork is identical: a zero-width interval is no spread measured, not certainty. */
    public static final String IDENTICAL_FORKS = "(identical forks)";

    /**
     * "0.00 ± 0.01" from the interval's estimate and half width; the estimate alone when undefined, "unbounded" when it
     * is, "(identical forks)" when it has zero width.
     */
    public static String plusMinus(ConfidenceInterval ci) {
        int decimals = decimalsFor(ci.halfWidth());
        if (!ci.isDefined()) return significant(ci.estimate(), VALUE_DIGITS);
        if (!ci.isBounded()) return significant(ci.estimate(), VALUE_DIGITS) + " (CI unbounded)";
        if (decimals < 0) return significant(ci.estimate(), VALUE_DIGITS) + " " + IDENTICAL_FORKS;
        return fixed(ci.estimate(), decimals) + " ± " + fixed(ci.halfWidth(), decimals);
    }

    /** "12.3 [11.0, 13.6]"; for asymmetric intervals such as Fieller's; "[unbounded]" and "(identical forks)" said so. */
    public static String withInterval(ConfidenceInterval ci) {
        if (!ci.isDefined()) return significant(ci.estimate(), VALUE_DIGITS) + " (no CI)";
        if (!ci.isBounded()) return significant(ci.estimate(), 3) + " [unbounded]";
        if (ci.isDegenerate()) return significant(ci.estimate(), VALUE_DIGITS) + " " + IDENTICAL_FORKS;
        int decimals = decimalsFor(Math.min(ci.estimate() - ci.low(), ci.high() - ci.estimate()));
        if (decimals < 0) decimals = decimalsFor(ci.halfWidth());
        if (decimals < 0) return significant(ci.estimate(), VALUE_DIGITS) + " [" + significant(ci.low(), VALUE_DIGITS)
                + ", " + significant(ci.high(), VALUE_DIGITS) + "]";
        return fixed(ci.estimate(), decimals) + " [" + fixed(ci.low(), decimals) + ", " + fixed(ci.high(), decimals) + "]";
    }

    /** A change with its sign, two significant digits: "+4.9", "+5.0", "-0.012"; whole numbers from 100 on ("+150"). */
    public static String signed(double value) {
        if (Double.isNaN(value)) return "n/a";
        if (Math.abs(value) >= 99.5) return String.format(Locale.ROOT, "%+.0f", value);
        return String.format(Locale.ROOT, "%+.2g", value);
    }

    /** A p-value: two significant digits, "<0.0001" below that. */
    public static String pValue(double p) {
        if (Double.isNaN(p)) return "n/a";
        return p < 1e-4 ? "<0.0001" : significant(p, 2);
    }

    public static String percent(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    /**
     * A share (a fraction) as a percentage with as many decimals as show two significant digits of it or of what it
     * leaves to 100% (at least one): "25.0%", "0.0062%", "99.9938%"; "0%" and "100%" only where exact.
     */
    public static String share(double fraction) {
        if (Double.isNaN(fraction)) return "n/a";
        if (fraction == 0) return "0%";
        if (fraction == 1) return "100%";
        double percent = fraction * 100;
        double nearest = Math.min(Math.abs(percent), Math.abs(100 - percent));
        int decimals = Math.clamp(UNCERTAINTY_DIGITS - 1 - (int) Math.floor(Math.log10(nearest)), 1, MAX_DECIMALS);
        return fixed(percent, decimals) + "%";
    }

    /** A share's estimate and half width in percent, "0.0081% ± 0.0103%"; the estimate alone ({@link #share}) when undefined. */
    public static String sharePlusMinus(ConfidenceInterval fraction) {
        if (!fraction.isDefined()) return share(fraction.estimate());
        ConfidenceInterval percent = new ConfidenceInterval(fraction.estimate() * 100, fraction.low() * 100, fraction.high() * 100);
        int decimals = decimalsFor(percent.halfWidth());
        if (decimals < 0) return share(fraction.estimate()) + " " + IDENTICAL_FORKS;
        return fixed(percent.estimate(), decimals) + "% ± " + fixed(percent.halfWidth(), decimals) + "%";
    }

    /** A machine-readable number: shortest exact decimal, empty for NaN. */
    public static String csv(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }
}
