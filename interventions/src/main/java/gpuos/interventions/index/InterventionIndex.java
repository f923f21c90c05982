package gpuos.interventions.index;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import gpuos.interventions.annotations.processing.InterventionProcessor;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every intervention on the class path: the union of the {@value InterventionProcessor#INDEX} files that the
 * annotation processor wrote into each compiled module (this jar's, a user's own, a test's). No scanning and no
 * reflection over packages: what was compiled with {@code @Intervention} is here, and nothing else.
 */
public final class InterventionIndex {
    private static final Gson GSON = new Gson();
    private final Map<String, IndexEntry> byName;

    private InterventionIndex(Map<String, IndexEntry> byName) {
        this.byName = byName;
    }

    /** The index of the context class loader (JMH forks, the sweep, tests). */
    public static InterventionIndex load() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return load(loader != null ? loader : InterventionIndex.class.getClassLoader());
    }

    public static InterventionIndex load(ClassLoader loader) {
        Map<String, IndexEntry> byName = new LinkedHashMap<>();
        try {
            Enumeration<URL> files = loader.getResources(InterventionProcessor.INDEX);
            for (URL url : Collections.list(files)) {
                for (IndexEntry e : read(url)) {
                    IndexEntry previous = byName.putIfAbsent(e.name(), e);
                    if (previous != null && !previous.className().equals(e.className()))
                        throw new IllegalStateException("intervention name '" + e.name() + "' is taken twice: by " + previous.className()
                                + " and by " + e.className() + " (" + url + "); rename one with @Intervention(name = \"...\")");
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return new InterventionIndex(byName);
    }

    /** The entries in index order (by name within a module, modules in class-path order). */
    public List<IndexEntry> entries() {
        return List.copyOf(byName.values());
    }

    public Optional<IndexEntry> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The entry named {@code name} that runs on {@code backend}, or an {@link IllegalArgumentException} whose
     * message is the one line to print.
     */
    public IndexEntry require(String name, String backend) {
        IndexEntry e = byName.get(name);
        if (e == null) {
            List<String> onBackend = new ArrayList<>();
            byName.values().stream().filter(x -> x.runsOn(backend)).forEach(x -> onBackend.add(x.name()));
            throw new IllegalArgumentException("no intervention '" + name + "' (" + backend + " has " + onBackend
                    + "); a new one needs @Intervention and a rebuild");
        }
        if (!e.runsOn(backend))
            throw new IllegalArgumentException("intervention '" + name + "' does not run on " + backend + " (its backends: " + e.backends() + ")");
        return e;
    }

    /** The index as the sweep copies it into a run folder: one JSON array of every entry. */
    public String toJson() {
        return new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(entries()) + "\n";
    }

    private static List<IndexEntry> read(URL url) throws IOException {
        try (Reader r = new InputStreamReader(url.openStream(), StandardCharsets.UTF_8)) {
            List<IndexEntry> list = GSON.fromJson(r, new TypeToken<List<IndexEntry>>() {}.getType());
            return list == null ? List.of() : list;
        } catch (JsonParseException ex) {
            throw new IllegalStateException(url + " is not an intervention index (" + ex.getMessage() + "): rebuild the module that made it", ex);
        }
    }
}
