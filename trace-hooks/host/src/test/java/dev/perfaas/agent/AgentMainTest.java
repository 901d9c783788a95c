package dev.perfaas.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentMainTest {

    @Test
    void namespacesAreCheckedOneByOne() throws IOException {
        assertEquals(
                List.of("openfaas-fn", "staging"), AgentMain.namespaces("--faasd-namespaces", "openfaas-fn,staging"));
        for (String bad : List.of("", "a,,b", "Staging", "a b", "-a", "a/b", "openfaas-fn,", "x".repeat(64))) {
            IOException e = assertThrows(IOException.class, () -> AgentMain.namespaces("--faasd-namespaces", bad), bad);
            assertTrue(e.getMessage().startsWith("--faasd-namespaces: \""), e.getMessage());
        }
        assertThrows(IOException.class, () -> AgentMain.namespace("--default-namespace", "a,b"));
    }
}
