package dev.perfaas.bench;

import com.sun.net.httpserver.HttpServer;
import dev.perfaas.hook.HookConfig;
import dev.perfaas.hook.TraceHook;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hook's per-invocation cost when the invocation is not traced: {@code begin} + {@code end}
 * against an empty baseline, run with {@code -prof gc} for allocation. A local server plays the
 * controller's policy endpoint: fraction 0, and fraction 0.01 with engine "none" (no engine), where
 * the random draw runs and 1 % of invocations fall in the untraced control group, whose CPU and
 * allocation are read — as in production at a 1 % traced fraction, minus the traced 1 %. Policy
 * "async" runs async-profiler (loaded, recording, its thread filter empty) at a fraction of one in
 * a million, so nearly every measured invocation is an untraced one beside a running engine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-XX:+PreserveFramePointer")
public class HookFastPathBench {
    @Param({"0", "0.01", "async"})
    public String policy;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private HttpServer controller;
    private TraceHook hook;

    @Setup
    public void start() throws Exception {
        boolean async = policy.equals("async");
        String engine = async ? "async" : "none";
        byte[] answer = ("{\"fraction\":" + (async ? "0.000001" : policy) + ",\"frequencyHz\":99,\"windowSeconds\":60,"
                        + "\"refreshSeconds\":1,\"engine\":\"" + engine + "\",\"version\":1}")
                .getBytes(StandardCharsets.UTF_8);
        controller = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        controller.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        controller.start();
        hook = TraceHook.start(new HookConfig(
                "bench",
                "jmh",
                URI.create("http://127.0.0.1:" + controller.getAddress().getPort()),
                null,
                null,
                "perf",
                Files.createTempDirectory("perfaas-jmh"),
                true,
                null,
                0));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!engine.equals(hook.policy().engine()) || (async && !"async".equals(hook.engineRunning()))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the hook did not receive the policy or start its engine");
            }
            Thread.sleep(10);
        }
    }

    @TearDown
    public void stop() {
        hook.close();
        controller.stop(0);
    }

    @Benchmark
    public void emptyBaseline() {
        // what the JMH harness itself costs per call
    }

    /** One read of the thread's allocation counter: a measured invocation makes two. */
    @Benchmark
    public long threadAllocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    @Benchmark
    public void untracedInvocation() {
        hook.end(hook.begin(), false);
    }
}
