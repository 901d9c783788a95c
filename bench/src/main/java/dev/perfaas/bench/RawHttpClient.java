package dev.perfaas.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 keep-alive connection that sends ready-made request bytes and reads the status
 * line, the headers and a Content-Length body. One request in flight, no chunked responses: just
 * enough for the controller's answers, at a fraction of java.net.http's CPU per request, which on a
 * shared machine would otherwise be taken from the controller being measured.
 */
final class RawHttpClient implements AutoCloseable {
    private final InetSocketAddress address;
    private final byte[] line = new byte[8192];
    private final byte[] discard = new byte[8192];
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    RawHttpClient(String host, int port) {
        address = new InetSocketAddress(host, port);
    }

    /** The request head for {@code method path}, with Host, Content-Length and the given header lines. */
    static byte[] head(String method, String path, int contentLength, String... headers) {
        StringBuilder sb =
                new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        sb.append("Content-Length: ").append(contentLength).append("\r\n\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends the request (head and body written as given) and returns the response status. */
    int send(byte[] head, byte[] body) throws IOException {
        if (socket == null) {
            connect();
        }
        try {
            out.write(head);
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return readResponse();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, 2000);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16384);
    }

    private int readResponse() throws IOException {
        int n = readLine();
        if (n < 12 || line[0] != 'H') {
            throw new IOException("bad status line: " + new String(line, 0, n, StandardCharsets.US_ASCII));
        }
        int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        long length = 0;
        boolean close = false;
        while ((n = readLine()) > 0) {
            String header = new String(line, 0, n, StandardCharsets.US_ASCII);
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(header.substring(colon + 1).trim());
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                throw new IOException("chunked responses are not supported");
            } else if (name.equalsIgnoreCase("Connection")) {
                close = header.substring(colon + 1).trim().equalsIgnoreCase("close");
            }
        }
        while (length > 0) {
            int r = in.read(discard, 0, (int) Math.min(discard.length, length));
            if (r < 0) {
                throw new IOException("connection closed in the response body");
            }
            length -= r;
        }
        if (close) {
            close();
        }
        return status;
    }

    /** Reads one CRLF-terminated line into {@link #line}; returns its length without the CRLF. */
    private int readLine() throws IOException {
        int n = 0;
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("connection closed in the response head");
            }
            if (n < line.length) {
                line[n++] = (byte) b;
            }
        }
        return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
    }

    @Override
    public void close() {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        socket = null;
    }
}
