package dev.perfaas.controller.pprof;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pprof profile (google/pprof proto/profile.proto) assembled in memory: strings, functions and
 * samples are numbered in the order first met, so the same input gives the same bytes. One location
 * per function (a frame is known by its name: perf's addresses and modules differ between processes
 * and would split what FlameScope and the dashboard merge), no mapping; samples with the same stack and
 * labels are one sample, counted. With a period, each sample has two values, {@code samples/count} and
 * {@code <kind>/nanoseconds} (count x period), and the second is the default; without one, only the count.
 */
final class PprofBuilder {
    /** Profile fields (profile.proto). */
    private static final int SAMPLE_TYPE = 1;

    private static final int SAMPLE = 2;
    private static final int LOCATION = 4;
    private static final int FUNCTION = 5;
    private static final int STRING_TABLE = 6;
    private static final int TIME_NANOS = 9;
    private static final int DURATION_NANOS = 10;
    private static final int PERIOD_TYPE = 11;
    private static final int PERIOD = 12;
    private static final int DEFAULT_SAMPLE_TYPE = 14;

    private record Key(int[] functionsLeafFirst, int labels) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && labels == k.labels && Arrays.equals(functionsLeafFirst, k.functionsLeafFirst);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(functionsLeafFirst) + labels;
        }
    }

    private final long periodNanos;
    private final Map<String, Integer> strings = new LinkedHashMap<>();
    private final Map<String, Integer> functions = new LinkedHashMap<>(); // name -> id (from 1)
    private final List<long[]> labelSets = new ArrayList<>(); // each {key, str, key, str, ...} string indices
    private final Map<Key, long[]> samples = new LinkedHashMap<>(); // -> {count}
    private final int samplesType;
    private final int count;
    private final int nanoseconds;

    /** {@code periodNanos} 0: unknown. */
    PprofBuilder(long periodNanos) {
        this.periodNanos = periodNanos;
        string(""); // string_table[0]
        samplesType = string("samples");
        count = string("count");
        nanoseconds = string("nanoseconds");
    }

    /** A function's id (from 1), numbered when first asked for. */
    int function(String name) {
        Integer id = functions.get(name);
        if (id == null) {
            string(name);
            id = functions.size() + 1;
            functions.put(name, id);
        }
        return id;
    }

    boolean hasFunction(String name) {
        return functions.containsKey(name);
    }

    int functions() {
        return functions.size();
    }

    /** A set of string labels, {@code key, value, key, value, ...}, to give samples. */
    int labels(String... keysAndValues) {
        long[] set = new long[keysAndValues.length];
        for (int i = 0; i < set.length; i++) {
            set[i] = string(keysAndValues[i]);
        }
        labelSets.add(set);
        return labelSets.size() - 1;
    }

    /** Whether a sample of this stack and labels is held already (a new one would take memory). */
    boolean holds(int[] functionsLeafFirst, int labels) {
        return samples.containsKey(new Key(functionsLeafFirst, labels));
    }

    int stacks() {
        return samples.size();
    }

    void add(int[] functionsLeafFirst, int labels, long count) {
        samples.computeIfAbsent(new Key(functionsLeafFirst, labels), k -> new long[1])[0] += count;
    }

    /** The profile's bytes (not compressed); {@code kind}'s name is the table's last string. */
    byte[] encode(SampleKind kind, long timeNanos, long durationNanos) {
        int typeName = string(kind.type);
        ProtoWriter p = new ProtoWriter();
        p.message(SAMPLE_TYPE, valueType(samplesType, count));
        if (periodNanos > 0) {
            p.message(SAMPLE_TYPE, valueType(typeName, nanoseconds));
        }
        for (Map.Entry<Key, long[]> s : samples.entrySet()) {
            long n = s.getValue()[0];
            long[] locations = Arrays.stream(s.getKey().functionsLeafFirst())
                    .asLongStream()
                    .toArray();
            ProtoWriter sample = new ProtoWriter()
                    .packed(1, locations)
                    .packed(2, periodNanos > 0 ? new long[] {n, n * periodNanos} : new long[] {n});
            long[] set = labelSets.get(s.getKey().labels());
            for (int i = 0; i < set.length; i += 2) {
                sample.message(3, new ProtoWriter().varint(1, set[i]).varint(2, set[i + 1]));
            }
            p.message(SAMPLE, sample);
        }
        for (int id : functions.values()) { // a location per function, the same id
            p.message(LOCATION, new ProtoWriter().varint(1, id).message(4, new ProtoWriter().varint(1, id)));
        }
        for (Map.Entry<String, Integer> f : functions.entrySet()) {
            int name = strings.get(f.getKey());
            p.message(
                    FUNCTION,
                    new ProtoWriter().varint(1, f.getValue()).varint(2, name).varint(3, name));
        }
        for (String s : strings.keySet()) {
            p.string(STRING_TABLE, s);
        }
        p.varint(TIME_NANOS, timeNanos).varint(DURATION_NANOS, durationNanos);
        if (periodNanos > 0) {
            p.message(PERIOD_TYPE, valueType(typeName, nanoseconds))
                    .varint(PERIOD, periodNanos)
                    .varint(DEFAULT_SAMPLE_TYPE, typeName);
        }
        return p.toByteArray();
    }

    private static ProtoWriter valueType(int type, int unit) {
        return new ProtoWriter().varint(1, type).varint(2, unit);
    }

    private int string(String s) {
        return strings.computeIfAbsent(s, k -> strings.size());
    }
}
