package dev.perfaas.controller.pyroscope;

/** A series label of push.v1 (types.v1.LabelPair). */
public record Label(String name, String value) {}
