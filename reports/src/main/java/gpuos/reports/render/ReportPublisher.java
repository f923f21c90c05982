package gpuos.reports.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SequencedMap;
import java.util.stream.Stream;

/**
 * Puts a report into a results folder without ever leaving it half written: everything is written to a
 * staging folder inside the results folder (same file system, so moves are renames), then csv/ and charts/
 * are swapped in, and report.md is renamed over the old one last, so it never links a missing chart.
 */
public final class ReportPublisher {
    /** Folders the report owns: replaced as a whole, so charts of an earlier report do not linger. */
    static final List<String> OWNED_FOLDERS = List.of(ReportFiles.CSV, ReportFiles.CHARTS);
    static final String STAGING_PREFIX = ".report-staging-";

    private ReportPublisher() {}

    public static void publish(Path folder, SequencedMap<String, byte[]> files) throws IOException {
        publish(folder, files, OWNED_FOLDERS);
    }

    /** The same for a report that owns other folders (the ResNet report: charts/ only). */
    public static void publish(Path folder, SequencedMap<String, byte[]> files, List<String> ownedFolders) throws IOException {
        Path staging = Files.createTempDirectory(folder, STAGING_PREFIX);
        try {
            for (String owned : ownedFolders) Files.createDirectories(staging.resolve(owned));
            for (var file : files.entrySet()) {
                Path target = staging.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
            }
            swapFolders(folder, staging, ownedFolders);
            for (String name : files.keySet()) {
                if (!name.contains("/")) {
                    Files.move(staging.resolve(name), folder.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } finally {
            deleteRecursively(staging);
        }
    }

    /** Moves the earlier owned folders into staging/.earlier and the new ones in; puts the earlier back if a move fails. */
    private static void swapFolders(Path folder, Path staging, List<String> ownedFolders) throws IOException {
        Path earlier = Files.createDirectory(staging.resolve(".earlier"));
        List<String> retired = new ArrayList<>();
        try {
            for (String owned : ownedFolders) {
                Path live = folder.resolve(owned);
                if (Files.exists(live)) {
                    Files.move(live, earlier.resolve(owned), StandardCopyOption.ATOMIC_MOVE);
                    retired.add(owned);
                }
                Files.move(staging.resolve(owned), live, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            for (String owned : retired) {
                Path live = folder.resolve(owned);
                if (Files.exists(live)) Files.move(live, staging.resolve(owned + ".failed"), StandardCopyOption.ATOMIC_MOVE);
                Files.move(earlier.resolve(owned), live, StandardCopyOption.ATOMIC_MOVE);
            }
            throw e;
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
        }
    }
}
