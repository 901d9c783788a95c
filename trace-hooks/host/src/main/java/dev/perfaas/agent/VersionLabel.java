package dev.perfaas.agent;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The version label sent with an instance's profiles (docs/protocol.md, X-Perfaas-Version): the
 * function's {@code PERFAAS_VERSION}, else its image reference where the platform gives one (Docker's
 * Config.Image), else none (the controller stores "unknown").
 */
final class VersionLabel {
    static final String VARIABLE = "PERFAAS_VERSION";
    /** What the controller takes: 1-200 printable ASCII characters, no space. */
    private static final Pattern LABEL = Pattern.compile("[!-~]{1,200}");

    private VersionLabel() {}

    /** From an environment as {@code NAME=value} entries and an image reference (null: none); null when neither fits. */
    static String of(List<String> environment, String image) {
        for (String entry : environment) {
            if (entry.startsWith(VARIABLE + "=")) {
                String value = entry.substring(VARIABLE.length() + 1);
                if (LABEL.matcher(value).matches()) {
                    return value;
                }
            }
        }
        return image != null && LABEL.matcher(image).matches() ? image : null;
    }
}
