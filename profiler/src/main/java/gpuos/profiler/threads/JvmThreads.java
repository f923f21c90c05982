package gpuos.profiler.threads;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Native thread id -> Java thread name for every thread the JVM knows, Java and VM-internal alike.
 * The JDK has no API for a thread's native id; a thread dump (the jcmd Thread.print command, run
 * in-process) prints it as {@code nid=}. Taken only when an unknown thread shows up, and only between
 * iterations, so its own system calls and safepoint never land in a measured window.
 */
public final class JvmThreads {
    private static final Pattern HEADER = Pattern.compile("^\"(.*)\"\\s.*\\bnid=(0x[0-9a-fA-F]+|\\d+)");

    private JvmThreads() {}

    /** Why the last snapshot failed, or null. */
    private static volatile String failure;

    public static String failure() { return failure; }

    /** Empty when the JVM cannot run the command (a jlink'd runtime without jdk.jfr, say); see {@link #failure()}. */
    public static Map<Integer, String> snapshot() {
        try {
            Object dump = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "threadPrint",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            failure = null;
            return parse(String.valueOf(dump));
        } catch (Exception | LinkageError e) {
            failure = String.valueOf(e.getCause() != null ? e.getCause() : e);
            return Map.of();
        }
    }

    /** Parses a HotSpot thread dump. */
    public static Map<Integer, String> parse(String dump) {
        Map<Integer, String> names = new HashMap<>();
        for (String line : dump.split("\n")) {
            Matcher m = HEADER.matcher(line);
            if (!m.find()) continue;
            String nid = m.group(2);
            int tid = nid.startsWith("0x") ? Integer.parseInt(nid.substring(2), 16) : Integer.parseInt(nid);
            names.put(tid, m.group(1));
        }
        return names;
    }
}
