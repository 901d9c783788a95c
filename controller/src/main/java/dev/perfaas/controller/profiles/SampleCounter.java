package dev.perfaas.controller.profiles;

/**
 * Counts samples in perf script text as it streams by: a sample starts on a line that is neither a
 * '#' comment, a tab-indented stack frame nor blank.
 */
final class SampleCounter {

    private boolean atLineStart = true;
    private long samples;

    void accept(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (atLineStart && b != '#' && b != '\t' && b != '\n' && b != '\r') {
                samples++;
            }
            atLineStart = b == '\n';
        }
    }

    long samples() {
        return samples;
    }
}
