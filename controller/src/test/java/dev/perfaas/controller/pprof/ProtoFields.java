package dev.perfaas.controller.pprof;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * A protobuf message read field by field, for the tests: varints as Long, length-delimited fields as
 * byte[]. Written from the wire format's description, not from ProtoWriter, so the two check each other.
 */
record ProtoFields(Map<Integer, List<Object>> fields) {

    static ProtoFields parse(byte[] b) {
        Map<Integer, List<Object>> fields = new TreeMap<>();
        int[] at = {0};
        while (at[0] < b.length) {
            long key = varint(b, at);
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            Object value;
            if (wire == 0) {
                value = varint(b, at);
            } else if (wire == 2) {
                int n = (int) varint(b, at);
                byte[] v = new byte[n];
                System.arraycopy(b, at[0], v, 0, n);
                at[0] += n;
                value = v;
            } else {
                throw new IllegalArgumentException("wire type " + wire + " of field " + field);
            }
            fields.computeIfAbsent(field, f -> new ArrayList<>()).add(value);
        }
        return new ProtoFields(fields);
    }

    static byte[] gunzip(byte[] gz) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<ProtoFields> messages(int field) {
        return fields.getOrDefault(field, List.of()).stream()
                .map(v -> parse((byte[]) v))
                .toList();
    }

    List<String> strings(int field) {
        return fields.getOrDefault(field, List.of()).stream()
                .map(v -> new String((byte[]) v, StandardCharsets.UTF_8))
                .toList();
    }

    long number(int field) {
        List<Object> v = fields.get(field);
        return v == null ? 0 : (Long) v.get(v.size() - 1);
    }

    /** A packed repeated varint field. */
    long[] packed(int field) {
        List<Long> all = new ArrayList<>();
        for (Object v : fields.getOrDefault(field, List.of())) {
            byte[] b = (byte[]) v;
            int[] at = {0};
            while (at[0] < b.length) {
                all.add(varint(b, at));
            }
        }
        return all.stream().mapToLong(Long::longValue).toArray();
    }

    private static long varint(byte[] b, int[] at) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b[at[0]++];
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
    }
}
