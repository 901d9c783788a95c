package dev.perfaas.controller.profiles;

import java.util.Arrays;

/**
 * The name index of a frame line already read, looked up by the line's bytes after its address (symbol,
 * offset, module) without decoding them: a profile repeats the same frames in every sample, so most lines
 * are named without a String made of them. Open addressing over a fixed table, filled once:
 * {@link #MAX_ENTRIES} entries of at most {@link #MAX_KEY_BYTES} bytes (13 MB at the very most); past that,
 * lines are named the slow way.
 */
final class FrameCache {

    static final int MAX_ENTRIES = 1 << 15;
    static final int MAX_KEY_BYTES = 384;

    private final byte[][] keys = new byte[MAX_ENTRIES * 2][]; // half full at most: short probes
    private final int[] values = new int[MAX_ENTRIES * 2];
    private int size;

    /** The name index stored for {@code line[from, to)}, or -1. */
    int get(byte[] line, int from, int to) {
        if (to - from > MAX_KEY_BYTES) {
            return -1;
        }
        for (int slot = slot(line, from, to); ; slot = (slot + 1) & (keys.length - 1)) {
            byte[] key = keys[slot];
            if (key == null) {
                return -1;
            }
            if (Arrays.equals(key, 0, key.length, line, from, to)) {
                return values[slot];
            }
        }
    }

    /** Remembers {@code index} for {@code line[from, to)}, unless the table is full or the key too long. */
    void put(byte[] line, int from, int to, int index) {
        if (to - from > MAX_KEY_BYTES || size >= MAX_ENTRIES) {
            return;
        }
        int slot = slot(line, from, to);
        while (keys[slot] != null) {
            slot = (slot + 1) & (keys.length - 1);
        }
        keys[slot] = Arrays.copyOfRange(line, from, to);
        values[slot] = index;
        size++;
    }

    private int slot(byte[] line, int from, int to) {
        int h = 1;
        for (int i = from; i < to; i++) {
            h = 31 * h + line[i];
        }
        h ^= h >>> 16;
        return h & (keys.length - 1);
    }
}
