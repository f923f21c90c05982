package gpuos.reports.analysis;

/** What a slope along one axis says about a metric; the rule is {@link Constraint#verdict}. */
public enum Verdict {
    INVARIANT, GROWS, SHRINKS, INCONCLUSIVE;

    /** "invariant", "grows with bytes", "shrinks with repetitions", "inconclusive". */
    public String describe(ScalingAxis axis) {
        return describe(axis.noun);
    }

    /** As {@link #describe(ScalingAxis)} for an axis named {@code noun} ("batch size"). */
    public String describe(String noun) {
        return switch (this) {
            case INVARIANT -> "invariant";
            case GROWS -> "grows with " + noun;
            case SHRINKS -> "shrinks with " + noun;
            case INCONCLUSIVE -> "inconclusive";
        };
    }
}
