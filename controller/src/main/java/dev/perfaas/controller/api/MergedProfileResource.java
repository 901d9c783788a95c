package dev.perfaas.controller.api;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.SafeName;
import dev.perfaas.controller.pprof.Pprof;
import dev.perfaas.controller.profiles.FoldedStacks;
import dev.perfaas.controller.profiles.MergedProfiles;
import dev.perfaas.controller.profiles.ProfileStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * A function's flame graph over a time range, optionally of one version and one engine (see
 * MergedProfiles): folded text by default, the
 * format flame graph tools read, or JSON as the dashboard reads a profile's samples. Reads, like
 * every GET: no token.
 */
@Path("/v1/profiles/{function}/merged")
public class MergedProfileResource {

    /** The range without from: the hour before to. */
    static final Duration DEFAULT_SPAN = Duration.ofHours(1);
    /** Longer than any version label or engine name a header holds (ProfileHeader's rules). */
    static final int MAX_LABEL_CHARS = 200;

    private final ProfileStore store;

    public MergedProfileResource(ProfileStore store) {
        this.store = store;
    }

    @GET
    @Produces({MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    public Response merged(
            @RestPath String function,
            @RestQuery String from,
            @RestQuery String to,
            @RestQuery String version,
            @RestQuery String engine,
            @RestQuery String format)
            throws IOException {
        String name = SafeName.function(function);
        String as = format == null ? "folded" : format;
        if (!as.equals("folded") && !as.equals("json") && !as.equals("pprof")) {
            throw ApiException.badRequest(
                    "format must be folded (the default), json or pprof, got " + SafeName.shown(as));
        }
        Instant end = to == null ? Instant.now() : instant("to", to);
        Instant start = from == null ? end.minus(DEFAULT_SPAN) : instant("from", from);
        if (version != null && version.length() > MAX_LABEL_CHARS
                || engine != null && engine.length() > MAX_LABEL_CHARS) {
            throw ApiException.badRequest("version and engine are at most " + MAX_LABEL_CHARS + " characters");
        }
        MergedProfiles.Merged merged =
                MergedProfiles.read(store, name, start, end, blankToNull(version), blankToNull(engine));
        if (as.equals("json")) {
            return Response.ok(merged, MediaType.APPLICATION_JSON).build();
        }
        if (as.equals("pprof")) {
            List<String> labels = new ArrayList<>(List.of("function", name));
            if (blankToNull(version) != null) {
                labels.addAll(List.of("version", version));
            }
            if (blankToNull(engine) != null) {
                labels.addAll(List.of("engine", engine));
            }
            byte[] pprof = Pprof.ofStacks(
                    merged.names(),
                    merged.stacks(),
                    merged.otherStacks(),
                    labels.toArray(String[]::new),
                    start.toEpochMilli() * 1_000_000,
                    Duration.between(start, end).toNanos());
            return ProfileFileResource.pprof(pprof, name + "-merged")
                    .header("X-Perfaas-Profiles", merged.files())
                    .header("X-Perfaas-Samples", merged.samples())
                    .build();
        }
        StreamingOutput text = out -> FoldedStacks.write(merged.names(), merged.stacks(), merged.otherStacks(), out);
        return Response.ok(text, MediaType.TEXT_PLAIN + ";charset=utf-8")
                .header("X-Perfaas-Profiles", merged.files())
                .header("X-Perfaas-Samples", merged.samples())
                .build();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Epoch milliseconds, or an ISO-8601 time with its offset ({@code 2026-12-06T21:00:00Z}). */
    static Instant instant(String field, String value) {
        String v = value.trim();
        try {
            if (!v.isEmpty() && v.length() <= 15 && v.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(v));
            }
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw ApiException.badRequest(field + " must be epoch milliseconds or an ISO-8601 time with its offset,"
                    + " e.g. 2026-12-06T21:00:00Z; got " + SafeName.shown(value));
        }
    }
}
