package dev.perfaas.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * GETs from the Docker engine's API over its unix socket, with the JDK alone: no Docker CLI in the
 * agent's image and no process forked per refresh. HTTP/1.0, so the engine answers with a plain body
 * that ends when it closes the connection (no chunked encoding to decode).
 */
final class DockerEngine {
    static final Path SOCKET = Path.of("/var/run/docker.sock");
    /** Container lists of a busy node are tens of KB; a larger answer is not the engine's. */
    private static final int MAX_ANSWER = 16 << 20;

    private final Path socket;

    DockerEngine(Path socket) {
        this.socket = socket;
    }

    /** The body of a 200 answer to {@code GET path}; any other status is an IOException. */
    String get(String path) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            String request = "GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n";
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            InputStream in = Channels.newInputStream(channel);
            byte[] answer = in.readNBytes(MAX_ANSWER);
            String text = new String(answer, StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0 || !text.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer from " + socket);
            }
            String status = text.substring(0, text.indexOf("\r\n"));
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[1].equals("200")) {
                throw new IOException("Docker engine answered '" + status + "' to GET " + path);
            }
            return text.substring(end + 4);
        }
    }
}
