package dev.perfaas.deploy;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Defaults and settings the deployment files must agree with, read from the runtime, the hook and the
 * controller themselves (package-private there, so through reflection): a renamed default or a new
 * setting fails here, not in a cluster.
 */
final class CodeDefaults {
    private CodeDefaults() {}

    /** The port the function runtime listens on when PERFAAS_PORT is unset: the template's upstream_url. */
    static int runtimePort() throws ReflectiveOperationException, java.io.IOException {
        Class<?> config = TreeJars.load("dev.perfaas.runtime.RuntimeConfig");
        Method from = config.getDeclaredMethod("from", Map.class);
        from.setAccessible(true);
        Method port = config.getDeclaredMethod("port");
        port.setAccessible(true);
        return (int) port.invoke(from.invoke(null, Map.of()));
    }

    /** Where the hook looks for the controller's token when PERFAAS_TOKEN_FILE is unset. */
    static String hookTokenFile() throws ReflectiveOperationException, java.io.IOException {
        Field f = TreeJars.load("dev.perfaas.hook.HookConfig").getDeclaredField("DEFAULT_TOKEN_FILE");
        f.setAccessible(true);
        return (String) f.get(null);
    }

    /**
     * The directories the controller writes, as the environment variables that set them: every Path
     * setting of its PerfaasConfig (an Optional&lt;Path&gt; names a file it only reads), which defaults to a
     * folder under the working directory, read-only or lost in a container unless a volume holds it.
     */
    static List<String> controllerDirectoryVariables() throws ReflectiveOperationException, java.io.IOException {
        List<String> out = new ArrayList<>();
        collectDirectories(TreeJars.load("dev.perfaas.controller.PerfaasConfig"), "PERFAAS", out);
        return out;
    }

    private static void collectDirectories(Class<?> settings, String prefix, List<String> out) {
        for (Method m : settings.getDeclaredMethods()) {
            if (m.isDefault() || m.getParameterCount() > 0 || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            String variable = prefix + "_"
                    + m.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
            Class<?> type = m.getReturnType();
            if (type == Path.class) {
                out.add(variable);
            } else if (type.isInterface() && type.getName().startsWith("dev.perfaas.")) {
                collectDirectories(type, variable, out);
            }
        }
    }
}
