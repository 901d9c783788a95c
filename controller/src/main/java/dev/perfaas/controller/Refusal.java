package dev.perfaas.controller;

/**
 * Why a request was refused: the {@code reason} label of the perfaas_refused_total counter. A closed
 * set, so that hostile input cannot grow the metric's label values.
 */
public enum Refusal {
    /** A new function past perfaas.limits.functions. */
    FUNCTIONS_LIMIT("functions_limit"),
    /** A new instance past perfaas.limits.instances-per-function. */
    INSTANCES_LIMIT("instances_limit"),
    /** An instance reporting faster than perfaas.limits.reports-per-instance-per-minute. */
    REPORT_RATE("report_rate"),
    /** A slow call past the function's perfaas.slow-calls.per-minute and burst. */
    SLOW_CALL_RATE("slow_call_rate"),
    /** A window report with a field out of range. */
    INVALID_REPORT("invalid_report"),
    /** A function or instance name that breaks its rule (see SafeName). */
    INVALID_NAME("invalid_name"),
    /** Operator targets out of range, missing or unknown. */
    INVALID_TARGETS("invalid_targets"),
    /** A body that is not JSON, or JSON of the wrong shape. */
    INVALID_JSON("invalid_json"),
    /** A write without the bearer token, or with a wrong one. */
    UNAUTHORIZED("unauthorized"),
    /** Any other bad request, e.g. a profile body that is not perf script text. */
    BAD_REQUEST("bad_request"),
    NOT_FOUND("not_found"),
    TOO_LARGE("too_large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type"),
    /** An upload past perfaas.max-uploads-in-flight (503). */
    UPLOADS_IN_FLIGHT("uploads_in_flight"),
    /** An upload that took longer than perfaas.upload-timeout (408). */
    UPLOAD_TIMEOUT("upload_timeout"),
    /** A profile read for the dashboard while as many as are read at once already are (503). */
    PROFILE_READS("profile_reads"),
    /** A profile the stacks filesystem had no room for (507). */
    INSUFFICIENT_STORAGE("insufficient_storage");

    private final String label;

    Refusal(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
