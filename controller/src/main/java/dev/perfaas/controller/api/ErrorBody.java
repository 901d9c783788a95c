package dev.perfaas.controller.api;

/** Every error answer: {"error": "..."}. */
public record ErrorBody(String error) {}
