package gpuos.reports.analysis;

/** What a slope along one axis says about a metric; the rule is {@link Constraint#verdict}. */
public enum Verdict {
    INVARIANT, GROWS, SHRINKS, INCONCLUSIVE;

    /** "invariant", "grows with bytes", "shrinks with repetitions", "inconclusive". */
    public String describe(ScalingAxis axis) {
        return switch (this) {
            case INVARIANT -> "invariant";
            case GROWS -> "grows with " + axis.noun;
            case SHRINKS -> "shrinks with " + axis.noun;
            case INCONCLUSIVE -> "inconclusive";
        };
    }
}
