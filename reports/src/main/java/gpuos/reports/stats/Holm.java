package gpuos.reports.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Holm's step-down adjustment (Holm 1979): controls the chance of any false decision in a family of k tests at the
 * level, without assuming the tests are independent, and never rejects less than Bonferroni. The i-th smallest p
 * becomes max over j <= i of min(1, (k - j + 1) p_(j)).
 */
public final class Holm {
    private Holm() {}

    /** Adjusted p-values, in the order given; a NaN p (no test) stays NaN and does not count in k. */
    public static double[] adjust(double[] p) {
        Integer[] order = IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).boxed()
                .sorted(Comparator.comparingDouble(i -> p[i])).toArray(Integer[]::new);
        double[] adjusted = new double[p.length];
        Arrays.fill(adjusted, Double.NaN);
        int k = order.length;
        double running = 0;
        for (int rank = 0; rank < k; rank++) {
            running = Math.max(running, Math.min(1, (k - rank) * p[order[rank]]));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }
}
