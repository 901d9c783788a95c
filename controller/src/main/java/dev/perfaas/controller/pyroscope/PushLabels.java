package dev.perfaas.controller.pyroscope;

import dev.perfaas.controller.SafeName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The series labels of a pushed profile, sorted by name as Pyroscope keeps them: {@code __name__}
 * (the profile type's name: {@code process_cpu} for a cpu period, as Pyroscope's own agents name CPU
 * profiles, {@code wall} for wall-clock), {@code service_name} (the function as perfaas names it,
 * NAME or NAME.NAMESPACE), {@code namespace}, {@code version}, {@code engine}, and {@code instance}
 * when the {@link SeriesBudget} allows it.
 */
final class PushLabels {

    /** Prometheus' legacy metric-name rule, which Pyroscope checks {@code __name__} against (a subset of it). */
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private PushLabels() {}

    static List<Label> of(String function, String defaultNamespace, PprofSource.Pushable pprof, String instanceOrNull) {
        List<Label> labels = new ArrayList<>(List.of(
                new Label("__name__", profileName(pprof.periodType())),
                new Label("engine", pprof.engine()),
                new Label("namespace", SafeName.namespace(function, defaultNamespace)),
                new Label("service_name", function),
                new Label("version", pprof.version())));
        if (instanceOrNull != null) {
            labels.add(new Label("instance", instanceOrNull));
        }
        labels.sort(Comparator.comparing(Label::name));
        return labels;
    }

    static String profileName(String periodType) {
        if ("cpu".equals(periodType)) {
            return "process_cpu";
        }
        return periodType != null && METRIC_NAME.matcher(periodType).matches() ? periodType : "perfaas";
    }

    /** One string per label set, to count series by. */
    static String key(List<Label> labels) {
        StringBuilder key = new StringBuilder();
        for (Label label : labels) {
            key.append(label.name()).append('=').append(label.value()).append('\n');
        }
        return key.toString();
    }
}
