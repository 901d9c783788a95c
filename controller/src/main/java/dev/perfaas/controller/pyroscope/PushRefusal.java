package dev.perfaas.controller.pyroscope;

/**
 * Why a stored profile never reached Pyroscope: the {@code reason} label of
 * perfaas_pyroscope_refused_total. A closed set; none of these is retried.
 */
public enum PushRefusal {
    /** Older than perfaas.pyroscope.reject-older-than when its turn came: Pyroscope would refuse it. */
    TOO_OLD("too_old"),
    /** Dropped, oldest first, to keep the queue within perfaas.pyroscope.queue-limit. */
    QUEUE_FULL("queue_full"),
    /** Its queue entry could not be written (a full or failing data-dir); the profile itself is stored. */
    NOT_QUEUED("not_queued"),
    /** Deleted from the stacks directory (retention, or by hand) before its turn. */
    GONE("gone"),
    /** Could not be turned into pprof. */
    UNENCODABLE("unencodable"),
    /** Pyroscope answered 400: invalid labels or profile, or outside its ingestion window. */
    BAD_REQUEST("bad_request"),
    /** 401 or 403: a wrong tenant, user or token. */
    UNAUTHORIZED("unauthorized"),
    /** 404: the URL is not a Pyroscope push API. */
    NOT_FOUND("not_found"),
    /** 413: larger than Pyroscope or a proxy in front accepts. */
    TOO_LARGE("too_large"),
    /** Any other answer but 200, 429 and 5xx (redirects are not followed). */
    CLIENT_ERROR("client_error");

    private final String label;

    PushRefusal(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The refusal an answer other than 200, 429 and 5xx (which are retried) counts as. */
    static PushRefusal ofStatus(int status) {
        return switch (status) {
            case 400 -> BAD_REQUEST;
            case 401, 403 -> UNAUTHORIZED;
            case 404 -> NOT_FOUND;
            case 413 -> TOO_LARGE;
            default -> CLIENT_ERROR;
        };
    }
}
