package dev.perfaas.controller.api;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.SafeName;
import dev.perfaas.controller.pprof.Pprof;
import dev.perfaas.controller.profiles.ProfileStore;
import dev.perfaas.controller.profiles.SlowCalls;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * One stored profile as a file: its {@code perf script} text as stored (FlameScope's form), or with
 * {@code format=pprof} as gzipped pprof ({@link Pprof}), for {@code go tool pprof}, speedscope, Parca
 * and the like. Window profiles at {@code /v1/profiles/{function}/{file}}, slow calls at
 * {@code /v1/profiles/{function}/slow/{file}}, {@code file} as {@code GET /v1/profiles/{function}} lists it.
 */
@Path("/v1/profiles/{function}")
public class ProfileFileResource {
    /** pprof files are gzip: served as bytes, not with a Content-Encoding a client would undo. */
    static final String PPROF_TYPE = MediaType.APPLICATION_OCTET_STREAM;

    private static final String TEXT_TYPE = "text/plain; charset=utf-8";

    private final ProfileStore store;

    public ProfileFileResource(ProfileStore store) {
        this.store = store;
    }

    @GET
    @Path("{file: [A-Za-z0-9][A-Za-z0-9._-]{0,250}\\.perf}")
    public Response window(@RestPath String function, @RestPath String file, @RestQuery String format)
            throws IOException {
        return answer(function, file, format);
    }

    @GET
    @Path(SlowCalls.SHELF + "/{file: [A-Za-z0-9][A-Za-z0-9._-]{0,250}\\.perf}")
    public Response slowCall(@RestPath String function, @RestPath String file, @RestQuery String format)
            throws IOException {
        return answer(function, SlowCalls.SHELF + "/" + file, format);
    }

    private Response answer(String function, String file, String format) throws IOException {
        String name = SafeName.function(function);
        if (format != null && !format.equals("pprof") && !format.equals("perf")) {
            throw ApiException.badRequest("format must be pprof, or perf (the stored text, the default)");
        }
        java.nio.file.Path path = ProfileViewResource.stored(store, name, file);
        String base = file.substring(file.lastIndexOf('/') + 1, file.length() - ".perf".length());
        if (!"pprof".equals(format)) {
            return Response.ok(path.toFile(), TEXT_TYPE).build();
        }
        try {
            return pprof(Pprof.of(path).gzip(), base).build();
        } catch (NoSuchFileException e) { // retention deleted it meanwhile
            throw ProfileViewResource.notFound(name, file);
        }
    }

    /** A gzipped pprof answer, saved as {@code <base>.pb.gz}. */
    static Response.ResponseBuilder pprof(byte[] gzipped, String base) {
        return Response.ok(gzipped, PPROF_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + base + ".pb.gz\"");
    }
}
