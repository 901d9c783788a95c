package dev.perfaas.runtime;

import com.openfaas.model.IHandler;
import dev.perfaas.hook.TraceHook;
import java.net.InetSocketAddress;

/**
 * What of-watchdog's fprocess starts: loads the handler, starts the trace hook and serves on
 * PERFAAS_PORT (default 8082, the template's upstream_url). Exits non-zero when the handler
 * cannot be loaded, so the watchdog, and the platform, see a broken function at once.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        RuntimeConfig config = RuntimeConfig.fromEnvironment();
        IHandler handler;
        try {
            handler = HandlerLoader.load(config.handlerClass());
        } catch (ReflectiveOperationException | ClassCastException e) {
            System.err.println("perfaas runtime: cannot load handler " + config.handlerClass() + ": " + e);
            System.exit(2);
            return;
        }
        TraceHook hook = TraceHook.fromEnvironment();
        FunctionServer server = FunctionServer.start(
                new InetSocketAddress(config.bindAddress(), config.port()), config.threads(), handler, hook);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.stop();
                            hook.close();
                        },
                        "perfaas-shutdown"));
        System.out.println("perfaas runtime: " + config.handlerClass() + " on " + config.bindAddress() + ":"
                + server.port() + " with " + config.threads() + " threads");
    }
}
