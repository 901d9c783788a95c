package dev.perfaas.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a stand-in engine on a unix socket answering as Docker's API does (HTTP/1.0, close-delimited). */
class DockerDiscoveryTest {
    private static final String FN_ID = "a".repeat(64);
    private static final String CLI_ID = "b".repeat(64);
    private static final long PID = ProcessHandle.current().pid(); // a live process: its /proc/<pid>/cgroup is read

    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final AtomicInteger inspections = new AtomicInteger();
    private ServerSocketChannel server;
    private Thread serving;

    @AfterEach
    void stop() throws IOException {
        serving.interrupt();
        server.close();
    }

    @Test
    void findsLabelledContainersWithTheirPidAndCgroup(@TempDir Path dir) throws Exception {
        answers.put("/containers/json", """
                [{"Id":"%s","Labels":{"faas_function":"pi"}},
                 {"Id":"%s","Labels":{"com.openfaas.function":"figlet","other":"x"}},
                 {"Id":"%s","Labels":{"app":"not-a-function"}}]
                """.formatted(FN_ID, CLI_ID, "c".repeat(64)));
        answers.put(
                "/containers/" + FN_ID + "/json",
                "{\"Id\":\"" + FN_ID + "\",\"State\":{\"Pid\":" + PID
                        + "},\"Config\":{\"Image\":\"perfaas/pi:latest\",\"Env\":[\"PATH=/usr/bin\"]}}");
        answers.put("/containers/" + CLI_ID + "/json", "{\"Id\":\"" + CLI_ID + "\",\"State\":{\"Pid\":0}}");
        DockerDiscovery docker = new DockerDiscovery(new DockerEngine(serve(dir)));

        List<Instance> found = docker.scan();
        assertEquals(1, found.size(), "figlet has no pid yet (starting): next refresh");
        Instance pi = found.get(0);
        assertEquals("pi", pi.function());
        assertEquals("aaaaaaaaaaaa", pi.name());
        assertEquals(PID, pi.hostPid());
        assertEquals(Cgroup.of(PID), pi.cgroup());
        assertEquals("perfaas/pi:latest", pi.version(), "no PERFAAS_VERSION: the image reference");

        docker.scan();
        assertEquals(3, inspections.get(), "pi's pid is kept, figlet's asked again");
    }

    @Test
    void anErrorStatusIsAnIOException(@TempDir Path dir) throws Exception {
        DockerEngine engine = new DockerEngine(serve(dir));
        IOException e = assertThrows(IOException.class, () -> engine.get("/containers/json"));
        assertEquals("Docker engine answered 'HTTP/1.0 404 Not Found' to GET /containers/json", e.getMessage());
    }

    private Path serve(Path dir) throws IOException {
        Path socket = dir.resolve("docker.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        serving = new Thread(() -> {
            while (server.isOpen()) {
                try (SocketChannel c = server.accept()) {
                    ByteBuffer in = ByteBuffer.allocate(4096);
                    String request = "";
                    while (!request.contains("\r\n\r\n") && c.read(in) >= 0) {
                        request = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
                    }
                    String path = request.split(" ")[1];
                    if (path.matches("/containers/\\w+/json")) {
                        inspections.incrementAndGet();
                    }
                    String body = answers.get(path);
                    String answer = body == null
                            ? "HTTP/1.0 404 Not Found\r\nContent-Type: application/json\r\n\r\n{\"message\":\"page not found\"}"
                            : "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + body;
                    c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    return;
                }
            }
        });
        serving.setDaemon(true);
        serving.start();
        return socket;
    }
}
