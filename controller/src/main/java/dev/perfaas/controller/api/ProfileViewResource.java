package dev.perfaas.controller.api;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.SafeName;
import dev.perfaas.controller.profiles.ProfileSamples;
import dev.perfaas.controller.profiles.ProfileStore;
import dev.perfaas.controller.profiles.Retention;
import dev.perfaas.controller.profiles.SlowCalls;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Stored profiles read back, for the dashboard: the list of a function's profiles (slow-call ones
 * under {@code slow/} too) and one profile's samples as JSON. Reads, like every GET: no token.
 */
@Path("/v1/profiles")
@Produces(MediaType.APPLICATION_JSON)
public class ProfileViewResource {

    /** Newest profiles listed per folder. */
    static final int MAX_LISTED = 500;
    /** A profile's file name, as ProfileStore names them, optionally in the function's slow/ folder. */
    private static final Pattern FILE =
            Pattern.compile("(" + SlowCalls.SHELF + "/)?[A-Za-z0-9][A-Za-z0-9._-]{0,250}\\.perf");

    private final ProfileStore store;

    public ProfileViewResource(ProfileStore store) {
        this.store = store;
    }

    /** {@code file} is the name to ask samples with, e.g. {@code slow/NAME.perf}. */
    public record Listed(String file, long bytes, long modifiedMillis, boolean slow) {}

    @GET
    @Path("{function}")
    public List<Listed> list(@RestPath String function) {
        String name = SafeName.function(function);
        List<Listed> all = new ArrayList<>();
        for (String shelf : Arrays.asList(null, SlowCalls.SHELF)) {
            for (Retention.Stored p : store.retention().newest(name, shelf, MAX_LISTED)) {
                if (FILE.matcher(p.name()).matches()) {
                    all.add(new Listed(p.name(), p.bytes(), p.storedMillis(), shelf != null));
                }
            }
        }
        all.sort(Comparator.comparingLong(Listed::modifiedMillis).reversed().thenComparing(Listed::file));
        return all;
    }

    @GET
    @Path("{function}/samples")
    public ProfileSamples.Samples samples(
            @RestPath String function, @RestQuery String file, @RestQuery Double from, @RestQuery Double to)
            throws IOException {
        String name = SafeName.function(function);
        if (from != null && !Double.isFinite(from)
                || to != null && !Double.isFinite(to)
                || from != null && to != null && from > to) {
            throw ApiException.badRequest("from and to are perf times in seconds, from <= to");
        }
        java.nio.file.Path path = stored(store, name, file);
        try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
            return ProfileSamples.read(file, in, from, to);
        } catch (NoSuchFileException e) { // retention deleted it meanwhile
            throw notFound(name, file);
        }
    }

    /**
     * The stored file {@code file} (as the listing names it) of {@code function} (a valid name): 400 for a
     * name the listing would not give, 404 when it is not stored.
     */
    static java.nio.file.Path stored(ProfileStore store, String function, String file) {
        if (file == null || file.length() > 260 || !FILE.matcher(file).matches()) {
            throw ApiException.badRequest("file must name a profile as GET /v1/profiles/" + function
                    + " lists it: NAME.perf or slow/NAME.perf, NAME of letters, digits, '.', '_' and '-'");
        }
        java.nio.file.Path path = store.root().resolve(function).resolve(file);
        // The name cannot climb out (no "..", no other folder); a link could, so none is followed.
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw notFound(function, file);
        }
        return path;
    }

    static ApiException notFound(String function, String file) {
        return ApiException.notFound("no profile \"" + file + "\" of function \"" + function
                + "\" (retention may have deleted it): GET /v1/profiles/" + function + " lists those stored");
    }
}
