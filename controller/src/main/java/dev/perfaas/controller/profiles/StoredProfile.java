package dev.perfaas.controller.profiles;

/** A profile now visible to FlameScope; {@code path} is relative to the stacks directory, '/'-separated. */
public record StoredProfile(String function, String instance, String path, long bytes, long samples) {}
