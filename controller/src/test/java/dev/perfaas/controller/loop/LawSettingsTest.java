package dev.perfaas.controller.loop;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.control.LawConfig;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LawSettingsTest {

    @Test
    void unsetKeysKeepTheLawsDefaults() {
        assertEquals(LawConfig.DEFAULT, LawSettings.from(law(Map.of())));
    }

    @Test
    void setKeysReplaceTheirField() {
        LawConfig c = LawSettings.from(law(Map.of("samplesGain", 0.5, "priorFrequencyHz", 49)));
        assertEquals(0.5, c.samplesGain());
        assertEquals(49, c.priorFrequencyHz());
        assertEquals(LawConfig.DEFAULT.overheadGain(), c.overheadGain());
    }

    @Test
    void anInvalidValueNamesTheSettings() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> LawSettings.from(law(Map.of("samplesGain", 2.0))));
        assertThat(e.getMessage(), containsString("perfaas.law.*"));
        assertThat(e.getMessage(), containsString("samplesGain must be in (0, 1]"));
    }

    /** perfaas.law.* with only {@code set} given, as SmallRye Config would map it. */
    private static PerfaasConfig.Law law(Map<String, Number> set) {
        return (PerfaasConfig.Law) Proxy.newProxyInstance(
                PerfaasConfig.Law.class.getClassLoader(),
                new Class<?>[] {PerfaasConfig.Law.class},
                (proxy, method, args) -> {
                    Number value = set.get(method.getName());
                    if (method.getReturnType() == OptionalInt.class) {
                        return value == null ? OptionalInt.empty() : OptionalInt.of(value.intValue());
                    }
                    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value.doubleValue());
                });
    }
}
