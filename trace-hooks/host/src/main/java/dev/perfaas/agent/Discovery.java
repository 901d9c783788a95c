package dev.perfaas.agent;

import java.io.IOException;
import java.util.List;

/**
 * A way to find the function instances running on this node: Docker's engine, faasd's cgroups, the
 * Kubernetes API's pods on this node labelled faas_function.
 */
interface Discovery {
    /** OpenFaaS' namespace for functions, unless its operator chose another (the gateway's and faasd's). */
    String DEFAULT_NAMESPACE = "openfaas-fn";

    /**
     * A function's name as perfaas knows it, as the OpenFaaS gateway addresses it: {@code name} in
     * the default namespace, {@code name.namespace} in any other, so that same-named functions of two
     * namespaces stay apart.
     */
    static String functionName(String name, String namespace, String defaultNamespace) {
        return namespace.equals(defaultNamespace) ? name : name + "." + namespace;
    }

    /** For logs: where the instances come from. */
    String source();

    /** The instances running now. An IOException means the source could not be read this time. */
    List<Instance> scan() throws IOException;
}
