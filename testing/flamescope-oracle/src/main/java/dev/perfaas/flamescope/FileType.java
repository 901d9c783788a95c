package dev.perfaas.flamescope;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** How FlameScope decides what a file is, and the bytes its readers then see. */
final class FileType {

    static final String PERF = "perf";

    /**
     * libmagic's text characters below 0x80 (file's src/encoding.c, text_chars): printable ASCII, BEL,
     * BS, TAB, LF, VT, FF, CR and ESC. Any other byte below 0x80 makes the file data.
     */
    private static final boolean[] TEXT = new boolean[0x80];
    /** libmagic examines this many bytes at most (file 5.44, FILE_BYTES_MAX). */
    private static final int MAGIC_BYTES = 7 * 1024 * 1024;
    /**
     * FlameScope's path check (app/common/fileutil.py, invalidchars):
     * {@code [^a-zA-Z0-9.,/_%+: -\\]}, in which " -\\" is the range from space to backslash.
     */
    private static final Pattern INVALID_PATH_CHARS = Pattern.compile("[^a-zA-Z0-9.,/_%+: -\\\\]");

    static {
        for (int b = 0x20; b < 0x7f; b++) {
            TEXT[b] = true;
        }
        for (int b = 0x07; b <= 0x0d; b++) {
            TEXT[b] = true;
        }
        TEXT[0x1b] = true;
    }

    private FileType() {}

    /**
     * The MIME type python-magic reports (app/common/fileutil.py, _get_file_mime), approximated:
     * libmagic's empty-file and gzip tests, its text test on the bytes it examines ({@link #TEXT};
     * any byte from 0x80 passes as UTF-8, Latin-1 or "extended ASCII" text), and the two soft-magic
     * rules a profile's first line can meet: "#!" (a script) and "#include" (C source). libmagic has
     * many more content rules (JSON, XML, HTML, ...) which this does not model; none starts with a
     * '#' comment or a perf sample line, and the cross-check against the real FlameScope
     * (flamescope-check.sh) is what catches a gap here.
     */
    static String mime(byte[] content) {
        if (content.length == 0) {
            return "inode/x-empty";
        }
        if (content.length >= 2 && (content[0] & 0xff) == 0x1f && (content[1] & 0xff) == 0x8b) {
            return "application/gzip";
        }
        for (int i = 0; i < Math.min(content.length, MAGIC_BYTES); i++) {
            int b = content[i] & 0xff;
            if (b < 0x80 && !TEXT[b]) {
                return "application/octet-stream";
            }
        }
        if (startsWith(content, "#!")) {
            return "text/x-shellscript";
        }
        if (startsWith(content, "#include")) {
            return "text/x-c";
        }
        return "text/plain";
    }

    /**
     * The type the profile list shows (app/common/fileutil.py, get_profile_type): octet-stream is an
     * nflxprofile; text/plain or gzip is "perf" when {@link #isPerf} holds, else a Chrome trace
     * ("trace_event"); anything else "unknown".
     */
    static String listedType(String file, byte[] content) {
        String mime = mime(content);
        if (mime.equals("application/octet-stream")) {
            return "nflxprofile";
        }
        if (!mime.equals("text/plain") && !mime.equals("application/gzip")) {
            return "unknown";
        }
        return isPerf(PythonText.lines(PythonText.decode(file, text(file, content)))) ? PERF : "trace_event";
    }

    /**
     * app/common/fileutil.py, _is_perf_file: the first line that does not start with '#' must hold a
     * sample ({@code event_regexp.search}); a blank line is such a line and fails. A file of comments
     * only is no perf file.
     */
    static boolean isPerf(List<String> lines) {
        for (String line : lines) {
            if (line.charAt(0) != '#') {
                return PerfRegexps.EVENT.matcher(line).find();
            }
        }
        return false;
    }

    /** The bytes get_file's reader decodes: a gzip file unpacked (gzip.open), any other as it is. */
    static byte[] text(String file, byte[] content) {
        if (!mime(content).equals("application/gzip")) {
            return content;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(content))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new FlameScopeFailure(
                    file, "a broken gzip file (" + e + "): FlameScope's reader raises, an HTTP 500");
        }
    }

    /**
     * app/controllers/profile_list.py, get_profile_list, and app/common/fileutil.py, _validpath:
     * names starting with '.' are not listed; a path with a character outside the path check's set
     * is refused by every view.
     */
    static void checkPath(String file, String fileName) {
        if (fileName.startsWith(".")) {
            throw new FlameScopeFailure(file, "FlameScope's profile list skips names that start with '.'");
        }
        if (INVALID_PATH_CHARS.matcher(file).find()) {
            throw new FlameScopeFailure(
                    file, "the path holds a character FlameScope's path check refuses (InvalidFileError, HTTP 500)");
        }
    }

    private static boolean startsWith(byte[] content, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        if (content.length < p.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (content[i] != p[i]) {
                return false;
            }
        }
        return true;
    }
}
