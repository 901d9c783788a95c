package dev.perfaas.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class VersionLabelTest {

    @Test
    void perfaasVersionWinsOverTheImage() {
        assertEquals("2.0.1", VersionLabel.of(List.of("A=1", "PERFAAS_VERSION=2.0.1"), "perfaas/pi:latest"));
    }

    @Test
    void withoutAUsableVariableTheImageThenNothing() {
        assertEquals("perfaas/pi:latest", VersionLabel.of(List.of("PERFAAS_VERSION=has space"), "perfaas/pi:latest"));
        assertEquals("perfaas/pi:latest", VersionLabel.of(List.of("PERFAAS_VERSION="), "perfaas/pi:latest"));
        assertNull(VersionLabel.of(List.of(), null));
        assertNull(VersionLabel.of(List.of(), "x".repeat(201)));
    }
}
