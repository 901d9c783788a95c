package dev.perfaas.controller.pprof;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The protocol buffers wire format, as much of it as profile.proto needs: varints (int64, uint64,
 * bool), length-delimited fields (strings, nested messages, packed repeated varints). Fields at their
 * default (0, empty) are left out, as proto3 writers do. Pyroscope's push request (pyroscope.PushRequestWire) is
 * written with it too. Hand-written because no maintained artifact
 * writes pprof and a generated protobuf-java model would be a dependency for five message types.
 */
public final class ProtoWriter {
    private static final int LENGTH_DELIMITED = 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A varint field (wire type 0), left out when 0. */
    public ProtoWriter varint(int field, long value) {
        if (value != 0) {
            rawVarint((long) field << 3);
            rawVarint(value);
        }
        return this;
    }

    /** A bool field, left out when false. */
    public ProtoWriter bool(int field, boolean value) {
        return varint(field, value ? 1 : 0);
    }

    /** A string field, written even when empty (string_table[0] is ""). */
    public ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A nested message, written even when empty (an element of a repeated field). */
    public ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    /** A packed repeated varint field, left out when empty. */
    public ProtoWriter packed(int field, long[] values) {
        if (values.length == 0) {
            return this;
        }
        ProtoWriter body = new ProtoWriter();
        for (long v : values) {
            body.rawVarint(v);
        }
        return bytes(field, body.toByteArray());
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    /** A bytes field, written even when empty. */
    public ProtoWriter bytes(int field, byte[] value) {
        rawVarint((long) field << 3 | LENGTH_DELIMITED);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    /** Seven bits at a time, low first; a negative int64 takes ten bytes, as protobuf writes it. */
    private void rawVarint(long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }
}
