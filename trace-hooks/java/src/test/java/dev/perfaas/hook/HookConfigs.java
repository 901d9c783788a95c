package dev.perfaas.hook;

import java.net.URI;
import java.nio.file.Path;

/** The hook configuration the tests run with: function "fn", instance "inst-1", a local controller. */
final class HookConfigs {
    private HookConfigs() {}

    /** Talks to a controller on {@code port} of this machine, runs {@code perf} as perf, spools in {@code spool}. */
    static HookConfig local(int port, String perf, Path spool) {
        return new HookConfig(
                "fn", "inst-1", URI.create("http://127.0.0.1:" + port), null, null, perf, spool, true, null, 0);
    }
}
