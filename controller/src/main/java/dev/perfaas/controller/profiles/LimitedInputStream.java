package dev.perfaas.controller.profiles;

import dev.perfaas.controller.ApiException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails with a 413 saying {@code refusal} as soon as more than {@code limit} bytes come through. */
final class LimitedInputStream extends FilterInputStream {

    private final long limit;
    private final String refusal;
    private long count;

    LimitedInputStream(InputStream in, long limit, String refusal) {
        super(in);
        this.limit = limit;
        this.refusal = refusal;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) {
        throw new UnsupportedOperationException("skipping would bypass the size limit");
    }

    private void counted(int n) {
        count += n;
        if (count > limit) {
            throw ApiException.tooLarge(refusal);
        }
    }
}
