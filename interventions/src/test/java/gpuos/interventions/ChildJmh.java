package gpuos.interventions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real JMH (its Main, real forks) in a child JVM whose class path is this test's plus {@code extra}. */
public final class ChildJmh {
    public record Outcome(int exitCode, String console) {}

    private ChildJmh() {}

    public static Outcome run(List<Path> extra, List<String> jmhArgs, Path consoleFile) throws IOException, InterruptedException {
        String cp = System.getProperty("java.class.path");
        for (Path p : extra) cp = p + File.pathSeparator + cp;
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Djmh.ignoreLock=true", "-cp", cp, "org.openjdk.jmh.Main"));
        cmd.addAll(jmhArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(consoleFile.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("JMH child did not finish in 10 minutes; console: " + consoleFile);
        }
        return new Outcome(p.exitValue(), Files.readString(consoleFile, StandardCharsets.UTF_8));
    }
}
