package gpuos.interventions;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The knob values of one run: the annotation's defaults, overridden by the JMH param
 * {@code knobs=name=value;name=value}. A name the intervention does not declare, or a value that does not parse,
 * fails setup with one line naming the knob.
 */
public final class Knobs {
    private final String intervention;
    private final Map<String, String> values;

    private Knobs(String intervention, Map<String, String> values) {
        this.intervention = intervention;
        this.values = values;
    }

    /** Defaults (name to value, in declaration order) overridden by {@code param} ({@code ""}: none). */
    public static Knobs parse(String intervention, Map<String, String> defaults, String param) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        if (param != null && !param.isBlank()) {
            for (String pair : param.split(";")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException("knobs '" + param + "': '" + pair + "' is not name=value (use -p knobs=name=value;name=value)");
                String name = pair.substring(0, eq).strip();
                if (!defaults.containsKey(name))
                    throw new IllegalArgumentException("intervention '" + intervention + "' has no knob '" + name + "'" + (defaults.isEmpty() ? " (it has none)" : "; its knobs: " + defaults.keySet()));
                values.put(name, pair.substring(eq + 1).strip());
            }
        }
        return new Knobs(intervention, values);
    }

    public String value(String name) {
        String v = values.get(name);
        if (v == null) throw new IllegalArgumentException("intervention '" + intervention + "' reads knob '" + name + "', which its @Intervention does not declare");
        return v;
    }

    public int intValue(String name) {
        return (int) parseLong(name, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** A long; {@code max} means {@link Long#MAX_VALUE}. */
    public long longValue(String name) {
        return parseLong(name, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private long parseLong(String name, long min, long max) {
        String v = value(name);
        if (v.equals("max")) return max;
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("knob '" + name + "' of '" + intervention + "' is '" + v + "': not an integer in [" + min + ", " + max + "] (or max)");
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ";").append(k).append('=').append(v));
        return sb.toString();
    }
}
