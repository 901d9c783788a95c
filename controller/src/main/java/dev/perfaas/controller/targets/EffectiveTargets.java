package dev.perfaas.controller.targets;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.perfaas.controller.control.Targets;

/** The targets a function is held to, and who set them; JSON: the five fields and "source". */
public record EffectiveTargets(@JsonUnwrapped Targets targets, TargetsSource source) {}
