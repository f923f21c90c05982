package gpuos.reports.analysis;

import java.util.List;

/**
 * A categorical JMH param: its values are alternatives, not amounts (no slope along them), so the report compares
 * each value with a reference value at every point where the other params are equal ({@link FactorEffect}).
 *
 * @param param      the JMH param
 * @param name       what it is called in sentences: "wait policy"
 * @param preferred  the value compared against where the points have it (the runtime's default); else the first
 *                   value in the data
 */
public record Factor(String param, String name, String preferred) {

    /** The categorical params, each with a table "does the &lt;name&gt; change syscalls per op?" where a benchmark has two values or more. */
    public static final List<Factor> ALL = List.of(
            new Factor("waitPolicy", "wait policy", "auto"));

    /** "Does the wait policy change syscalls per op?" */
    public String question() {
        return "Does the " + name + " change syscalls per op?";
    }
}
