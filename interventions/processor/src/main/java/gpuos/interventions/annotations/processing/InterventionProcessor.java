package gpuos.interventions.annotations.processing;

import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Knob;
import gpuos.interventions.annotations.Predict;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;
import javax.tools.StandardLocation;

/**
 * Checks every {@link Intervention} and writes the index {@value #INDEX}: one JSON array of the interventions of
 * this compilation (format: docs/results-format.md, "Phase 2"). Each problem is a compile error on the class,
 * saying what to change; nothing is written when there is one.
 */
@SupportedAnnotationTypes("gpuos.interventions.annotations.Intervention")
public final class InterventionProcessor extends AbstractProcessor {
    public static final String INDEX = "META-INF/gpuos/interventions.json";

    static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    static final Pattern KNOB = Pattern.compile("[a-z][A-Za-z0-9]*");
    /** The metrics the report can read (docs/results-format.md). */
    public static final Pattern METRIC = Pattern.compile("time|cpu\\.(process|worker)|syscalls\\.(workload|total"
            + "|role\\.(dispatch|sync|memory|io|threads|other)|thread\\.(worker|runtime|jvm)|ioctl\\.target\\.[a-z0-9_-]+|[a-z0-9_]+)");

    /** One checked intervention, in index order (by name). */
    record Entry(String name, String family, String className, String summary, Set<Backend> backends, boolean baseline,
                 Knob[] knobs, Predict[] predicts) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private boolean failed;
    private int errors;

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (Element e : round.getElementsAnnotatedWith(Intervention.class)) check(e);
        if (round.processingOver() && !failed && !entries.isEmpty()) write();
        return true;
    }

    private void check(Element e) {
        AnnotationMirror mirror = mirror(e);
        if (e.getKind() != ElementKind.CLASS) {
            error(e, mirror, "@Intervention goes on a class, not on a " + e.getKind().toString().toLowerCase());
            return;
        }
        TypeElement type = (TypeElement) e;
        Intervention a = type.getAnnotation(Intervention.class);
        String where = type.getQualifiedName().toString();
        int errorsBefore = errors;

        if (!type.getModifiers().contains(Modifier.PUBLIC) || type.getModifiers().contains(Modifier.ABSTRACT))
            error(e, mirror, where + ": an intervention is a public, non-abstract class (the runner instantiates it)");
        if (type.getNestingKind() == NestingKind.MEMBER && !type.getModifiers().contains(Modifier.STATIC))
            error(e, mirror, where + ": a nested intervention must be static (the runner instantiates it without an outer instance)");
        if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS)
            error(e, mirror, where + ": an intervention is a top-level or static nested class");
        boolean noArg = ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
                .anyMatch(c -> c.getParameters().isEmpty() && c.getModifiers().contains(Modifier.PUBLIC));
        if (!noArg) error(e, mirror, where + ": add a public no-argument constructor (the runner instantiates the class)");

        String name = a.name().isEmpty() ? kebab(type.getSimpleName().toString()) : a.name();
        if (!KEBAB.matcher(name).matches())
            error(e, mirror, where + ": name '" + name + "' is not kebab-case (lower-case words joined by '-', e.g. sync-every-k)");
        String family = a.family().isEmpty() ? lastSegment(type) : a.family();
        if (!KEBAB.matcher(family).matches())
            error(e, mirror, where + ": family '" + family + "' is not kebab-case (set family = \"...\" or rename the package)");
        if (a.summary().isBlank() || a.summary().contains("\n"))
            error(e, mirror, where + ": summary must be one non-empty line");

        Set<Backend> backends = a.backends().length == 0 ? EnumSet.noneOf(Backend.class) : EnumSet.of(a.backends()[0], a.backends());
        if (backends.isEmpty()) error(e, mirror, where + ": backends is empty: name at least one of " + List.of(Backend.values()));
        for (Backend b : Backend.values()) {
            TypeElement lifecycle = processingEnv.getElementUtils().getTypeElement(b.lifecycle());
            boolean implementsIt = lifecycle != null && processingEnv.getTypeUtils().isAssignable(
                    processingEnv.getTypeUtils().erasure(type.asType()), processingEnv.getTypeUtils().erasure(lifecycle.asType()));
            if (backends.contains(b) && lifecycle == null)
                error(e, mirror, where + ": backend " + b + " needs " + b.lifecycle() + " on the classpath (depend on gpuos-interventions)");
            else if (backends.contains(b) && !implementsIt)
                error(e, mirror, where + ": backends lists " + b + ", so implement " + b.lifecycle());
            else if (!backends.contains(b) && implementsIt)
                error(e, mirror, where + ": implements " + b.lifecycle() + " but backends does not list " + b + " (add it, or drop the interface)");
        }

        Set<String> knobNames = new HashSet<>();
        for (Knob k : a.knobs()) {
            if (!KNOB.matcher(k.name()).matches())
                error(e, mirror, where + ": knob name '" + k.name() + "' must look like a Java identifier starting lower-case (e.g. k, releaseThreshold)");
            if (!knobNames.add(k.name())) error(e, mirror, where + ": knob '" + k.name() + "' is declared twice");
            if (k.value().isEmpty() || k.value().contains(";") || k.value().contains(","))
                error(e, mirror, where + ": knob '" + k.name() + "' needs a default value without ';' or ','");
            if (k.doc().isBlank()) error(e, mirror, where + ": knob '" + k.name() + "' needs a one-line doc");
        }

        if (a.baseline() && a.predicts().length > 0)
            error(e, mirror, where + ": a baseline predicts nothing (others predict against it): drop predicts or baseline = true");
        if (!a.baseline() && a.predicts().length == 0)
            error(e, mirror, where + ": add at least one @Predict(metric, direction, why): an intervention states the change it expects");
        for (Predict p : a.predicts()) {
            if (!METRIC.matcher(p.metric()).matches())
                error(e, mirror, where + ": metric '" + p.metric() + "' is unknown: use time, cpu.process, cpu.worker, syscalls.workload,"
                        + " syscalls.total, syscalls.role.<dispatch|sync|memory|io|threads|other>, syscalls.thread.<worker|runtime|jvm> or syscalls.<name>");
            if (!KEBAB.matcher(p.against()).matches()) error(e, mirror, where + ": against '" + p.against() + "' is not an intervention name");
            if (p.against().equals(name)) error(e, mirror, where + ": a prediction against itself cannot be checked: name another intervention");
            if (p.why().isBlank() || p.why().contains("\n")) error(e, mirror, where + ": why must be one non-empty line (the mechanism)");
            for (Backend b : p.on())
                if (!backends.contains(b)) error(e, mirror, where + ": a prediction is on " + b + ", which backends does not list");
        }

        Entry previous = entries.get(name);
        if (previous != null)
            error(e, mirror, where + ": name '" + name + "' is taken by " + previous.className() + " (set name = \"...\")");
        if (errors == errorsBefore)
            entries.put(name, new Entry(name, family, processingEnv.getElementUtils().getBinaryName(type).toString(), a.summary(),
                    backends, a.baseline(), a.knobs(), a.predicts()));
    }

    private void error(Element e, AnnotationMirror mirror, String message) {
        errors++;
        failed = true;
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "@Intervention: " + message, e, mirror);
    }

    private static AnnotationMirror mirror(Element e) {
        for (AnnotationMirror m : e.getAnnotationMirrors())
            if (m.getAnnotationType().toString().equals(Intervention.class.getCanonicalName())) return m;
        return null;
    }

    private static String lastSegment(TypeElement type) {
        Element p = type;
        while (!(p instanceof PackageElement)) p = p.getEnclosingElement();
        String pkg = ((PackageElement) p).getQualifiedName().toString();
        return pkg.substring(pkg.lastIndexOf('.') + 1);
    }

    /** {@code SyncEveryK} becomes {@code sync-every-k}; {@code PooledBuffer2} becomes {@code pooled-buffer2}. */
    static String kebab(String simpleName) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < simpleName.length(); i++) {
            char c = simpleName.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) sb.append('-');
                sb.append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private void write() {
        List<Entry> sorted = new ArrayList<>(entries.values());
        sorted.sort((x, y) -> x.name().compareTo(y.name()));
        try (Writer w = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "", INDEX).openWriter()) {
            w.write(json(sorted));
        } catch (IOException ex) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "@Intervention: cannot write " + INDEX + ": " + ex.getMessage());
        }
    }

    static String json(List<Entry> entries) {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", e.name());
            o.put("family", e.family());
            o.put("className", e.className());
            o.put("summary", e.summary());
            o.put("backends", e.backends().stream().map(Backend::label).toList());
            o.put("baseline", e.baseline());
            List<Object> knobs = new ArrayList<>();
            for (Knob k : e.knobs()) knobs.add(ordered("name", k.name(), "value", k.value(), "doc", k.doc()));
            o.put("knobs", knobs);
            List<Object> predicts = new ArrayList<>();
            for (Predict p : e.predicts()) {
                Map<String, Object> m = ordered("metric", p.metric(), "direction", p.direction().label(), "against", p.against(), "why", p.why());
                List<String> on = new ArrayList<>();
                for (Backend b : p.on()) on.add(b.label());
                m.put("on", on);
                predicts.add(m);
            }
            o.put("predictions", predicts);
            sb.append("  ");
            value(sb, o);
            sb.append(i + 1 < entries.size() ? ",\n" : "\n");
        }
        return sb.append("]\n").toString();
    }

    private static Map<String, Object> ordered(String... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private static void value(StringBuilder sb, Object v) {
        if (v instanceof String s) {
            sb.append('"');
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                        else sb.append(c);
                    }
                }
            }
            sb.append('"');
        } else if (v instanceof Boolean b) {
            sb.append(b);
        } else if (v instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) sb.append(", ");
                value(sb, list.get(i));
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> map) {
            sb.append('{');
            int i = 0;
            for (Map.Entry<?, ?> en : map.entrySet()) {
                if (i++ > 0) sb.append(", ");
                value(sb, en.getKey().toString());
                sb.append(": ");
                value(sb, en.getValue());
            }
            sb.append('}');
        } else {
            throw new IllegalArgumentException("not JSON: " + v);
        }
    }
}
