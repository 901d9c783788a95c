package dev.perfaas.pyroscope;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads protobuf fields strictly: a truncated or malformed message is an IOException naming where. */
final class ProtoReader {

    static final int VARINT = 0;
    static final int LENGTH_DELIMITED = 2;

    private final byte[] bytes;
    private int at;
    private final int end;

    ProtoReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    private ProtoReader(byte[] bytes, int from, int end) {
        this.bytes = bytes;
        this.at = from;
        this.end = end;
    }

    boolean more() {
        return at < end;
    }

    /** The next field's tag: number << 3 | wire type. */
    long tag() throws IOException {
        return varint();
    }

    long varint() throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at >= end) {
                throw new IOException("truncated varint at byte " + at);
            }
            byte b = bytes[at++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IOException("varint longer than 10 bytes at byte " + at);
    }

    byte[] bytes() throws IOException {
        long length = varint();
        if (length < 0 || length > end - at) {
            throw new IOException("length " + length + " past the end of the message at byte " + at);
        }
        byte[] value = Arrays.copyOfRange(bytes, at, at + (int) length);
        at += (int) length;
        return value;
    }

    String string() throws IOException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(bytes()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException("a string field is not UTF-8", e);
        }
    }

    ProtoReader message() throws IOException {
        return new ProtoReader(bytes());
    }
}
