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

    private ContentEncoding() {
    }

    public static InputStream decode(String contentEncoding, InputStream body) throws IOException {
        String encoding = contentEncoding == null ? "identity" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        switch (encoding) {
            case "", "identity":
                return body;
            case "gzip", "x-gzip":
                return new GzipBody(body);
            default:
                throw ApiException.unsupportedMediaType("unsupported Content-Encoding \"" + contentEncoding
                        + "\": send the body as is or gzip-compressed");
        }
    }

    /** Turns broken gzip data into a 400 instead of an I/O failure of the controller. */
    private static final class GzipBody extends FilterInputStream {

        GzipBody(InputStream raw) throws IOException {
            super(null);
            try {
                in = new GZIPInputStream(raw, 64 * 1024);
            } catch (ZipException | EOFException e) {
                throw corrupt(e);
            }
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (ZipException | EOFException e) {
                throw corrupt(e);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (ZipException | EOFException e) {
                throw corrupt(e);
            }
        }

        private static ApiException corrupt(IOException e) {
            return ApiException.badRequest("body is sent with Content-Encoding gzip but is not valid gzip data ("
                    + e.getMessage() + ")");
        }
    }
}
