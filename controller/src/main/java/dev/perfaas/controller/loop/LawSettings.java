package dev.perfaas.controller.loop;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.control.ControlLaw;
import dev.perfaas.controller.control.LawConfig;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** perfaas.law.* as a LawConfig; an unset key keeps LawConfig.DEFAULT's value, whose javadoc gives the reasons. */
@Dependent
public final class LawSettings {

    LawSettings() {}

    /** The controller's one control law: the loop steps with it, and PolicyBook answers its prior. */
    @Produces
    @Singleton
    static ControlLaw law(PerfaasConfig config) {
        return new ControlLaw(from(config.law()));
    }

    public static LawConfig from(PerfaasConfig.Law law) {
        LawConfig d = LawConfig.DEFAULT;
        try {
            return new LawConfig(
                    law.samplesGain().orElse(d.samplesGain()),
                    law.overheadGain().orElse(d.overheadGain()),
                    law.overheadSetpoint().orElse(d.overheadSetpoint()),
                    law.maxLogStepUp().orElse(d.maxLogStepUp()),
                    law.evidenceWindow().orElse(d.evidenceWindow()),
                    law.memoryPeriods().orElse(d.memoryPeriods()),
                    law.shiftSigma().orElse(d.shiftSigma()),
                    law.saturationPeriods().orElse(d.saturationPeriods()),
                    law.minPeriodsBetweenFrequencyChanges().orElse(d.minPeriodsBetweenFrequencyChanges()),
                    law.frequencyBand().orElse(d.frequencyBand()),
                    law.priorFraction().orElse(d.priorFraction()),
                    law.priorFrequencyHz().orElse(d.priorFrequencyHz()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid control law setting (perfaas.law.*): " + e.getMessage(), e);
        }
    }
}
