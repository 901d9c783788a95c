package dev.perfaas.agent;

import java.io.IOException;
import java.util.List;

/**
 * A way to find the function instances running on this node: Docker's engine, faasd's cgroups, the
 * Kubernetes API's pods on this node labelled faas_function.
 */
interface Discovery {
    /** For logs: where the instances come from. */
    String source();

    /** The instances running now. An IOException means the source could not be read this time. */
    List<Instance> scan() throws IOException;
}
