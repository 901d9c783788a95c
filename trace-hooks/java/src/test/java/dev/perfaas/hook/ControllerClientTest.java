package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's requests run on the calling thread: what stops one that the controller holds. */
class ControllerClientTest {
    @TempDir
    Path spool;

    /**
     * A controller that takes the connection and never reads: the upload blocks in a socket write,
     * which neither a read timeout nor an interrupt ends; closing the hook aborts it, and the profile
     * stays for the last flush.
     */
    @Test
    void anUploadTheControllerStopsReadingFailsWhenAborted() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AtomicReference<Socket> held = new AtomicReference<>();
            Thread acceptor = new Thread(() -> {
                try {
                    held.set(server.accept()); // and never read
                } catch (IOException e) {
                    // closed
                }
            });
            acceptor.start();
            ControllerClient client =
                    new ControllerClient(HookConfigs.local(server.getLocalPort(), "perf", spool), new CpuAccount());
            Path body = spool.resolve("big.gz");
            byte[] noise = new byte[64 << 20]; // beyond what the sockets' buffers hold
            new Random(1).nextBytes(noise);
            Files.write(body, noise);

            CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
                try {
                    client.postProfile(new Outbox.Profile(body, 1_795_439_942_000L, "async", 99, 0));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            // Aborted again until it fails: the first abort may come before the request is under way.
            ExecutionException e = null;
            for (int i = 0; i < 300 && e == null; i++) {
                client.abort();
                try {
                    upload.get(100, TimeUnit.MILLISECONDS);
                    fail("the controller never answered, yet the upload succeeded");
                } catch (TimeoutException still) {
                    // still writing
                } catch (ExecutionException failed) {
                    e = failed;
                }
            }
            assertNotNull(e, "the upload still blocked after 30 s of aborts");
            assertInstanceOf(IOException.class, e.getCause().getCause(), "the sender gets an I/O failure");
            assertEquals(noise.length, Files.size(body), "the profile's file is kept for a later send");
            Socket s = held.get();
            if (s != null) {
                s.close();
            }
            acceptor.join();
        }
    }
}
