package dev.perfaas.controller.profiles;

import dev.perfaas.controller.ApiException;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Undoes the body's Content-Encoding: none, identity or gzip. */
public final class ContentEncoding {

    /** Bodies inflating to less than this are not held to the ratio: small ones may compress as well as they like. */
    static final long RATIO_FLOOR = 1 << 20;

    private ContentEncoding() {}

    /**
     * A gzip body may inflate to at most {@code maxRatio} times the bytes read of it, once past
     * {@link #RATIO_FLOOR}; the decoded size limit applies on top.
     */
    public static InputStream decode(String contentEncoding, InputStream body, int maxRatio) throws IOException {
        String encoding =
                contentEncoding == null ? "identity" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        switch (encoding) {
            case "", "identity":
                return body;
            case "gzip", "x-gzip":
                return new GzipBody(body, maxRatio);
            default:
                throw ApiException.unsupportedMediaType("unsupported Content-Encoding \"" + contentEncoding
                        + "\": send the body as is or gzip-compressed");
        }
    }

    /**
     * Inflates as it is read, refusing a decompression bomb with a 413, and turns broken gzip data
     * into a 400 instead of an I/O failure of the controller.
     */
    private static final class GzipBody extends FilterInputStream {

        private final Counted raw;
        private final int maxRatio;
        private long decoded;

        GzipBody(InputStream body, int maxRatio) throws IOException {
            super(null);
            this.raw = new Counted(body);
            this.maxRatio = maxRatio;
            try {
                in = new GZIPInputStream(raw, 64 * 1024);
            } catch (ZipException | EOFException e) {
                throw corrupt(e);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = super.read(buffer, offset, length);
            } catch (ZipException | EOFException e) {
                throw corrupt(e);
            }
            if (n > 0) {
                decoded += n;
                // raw.count includes what the inflater has read ahead: the ratio errs on the safe side.
                if (decoded > RATIO_FLOOR && decoded > maxRatio * raw.count) {
                    throw ApiException.tooLarge("gzip body inflates more than " + maxRatio + " times: " + raw.count
                            + " bytes sent became over " + decoded + " (decompression bomb; setting"
                            + " perfaas.max-gzip-ratio)");
                }
            }
            return n;
        }

        @Override
        public long skip(long n) {
            throw new UnsupportedOperationException("skipping would bypass the ratio limit");
        }

        private static ApiException corrupt(IOException e) {
            return ApiException.badRequest(
                    "body is sent with Content-Encoding gzip but is not valid gzip data (" + e.getMessage() + ")");
        }
    }

    /** Counts the bytes read through it. */
    private static final class Counted extends FilterInputStream {

        long count;

        Counted(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
