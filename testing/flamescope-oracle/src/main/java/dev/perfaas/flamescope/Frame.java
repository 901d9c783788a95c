package dev.perfaas.flamescope;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node of FlameScope's flame graph (its JSON: {@code n} name, {@code l} library type, {@code v}
 * samples that end here, {@code c} children). A node's children are told apart by name AND type.
 */
public final class Frame {

    private final String name;
    private final String libtype;
    private long value;
    private final Map<String, Frame> children = new LinkedHashMap<>();

    Frame(String name, String libtype) {
        this.name = name;
        this.libtype = libtype;
    }

    public String name() {
        return name;
    }

    /** "jit", "kernel", "user", "inlined" or "" (library2type). */
    public String libtype() {
        return libtype;
    }

    /** Samples whose stack ends at this node. */
    public long value() {
        return value;
    }

    public List<Frame> children() {
        return Collections.unmodifiableList(new ArrayList<>(children.values()));
    }

    /** Samples at this node and below: the whole flame graph's samples at its root. */
    public long total() {
        long sum = value;
        for (Frame child : children.values()) {
            sum += child.total();
        }
        return sum;
    }

    /** The names of this node and every node below it. */
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        collect(names);
        return names;
    }

    /** How many nodes at or below this one carry {@code frameName}. */
    public long nodesNamed(String frameName) {
        long n = name.equals(frameName) ? 1 : 0;
        for (Frame child : children.values()) {
            n += child.nodesNamed(frameName);
        }
        return n;
    }

    private void collect(Set<String> names) {
        names.add(name);
        for (Frame child : children.values()) {
            child.collect(names);
        }
    }

    /**
     * app/perf/flame_graph.py, _add_stack: each {name, module} pair from the root, its name split at
     * "->" (inlined frames), a leading "L" dropped from each part when the process is "java"; the
     * first part's type comes from the module (library2type), the others are "inlined"; the sample
     * counts 1 at the last part of the last pair.
     */
    void add(List<String[]> stack, String comm) {
        Frame last = this;
        for (int i = 0; i < stack.size(); i++) {
            List<String> parts = PythonText.split(stack.get(i)[0], "->");
            for (int j = 0; j < parts.size(); j++) {
                String part = parts.get(j);
                if (comm.equals("java") && part.startsWith("L")) {
                    part = part.substring(1);
                }
                String type = j == 0 ? libraryType(stack.get(i)[1]) : "inlined";
                String key = part + '\0' + type;
                Frame child = last.children.get(key);
                if (child == null) {
                    child = new Frame(part, type);
                    last.children.put(key, child);
                }
                last = child;
                if (i == stack.size() - 1 && j == parts.size() - 1) {
                    last.value++;
                }
            }
        }
    }

    /** app/common/libtype.py, library2type. */
    static String libraryType(String library) {
        if (library.isEmpty()) {
            return "";
        }
        if (library.startsWith("/tmp/perf-")) {
            return "jit";
        }
        if (library.startsWith("[") || library.indexOf("vmlinux") > 0) {
            return "kernel";
        }
        return "user";
    }
}
