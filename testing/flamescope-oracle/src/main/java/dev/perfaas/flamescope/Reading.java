package dev.perfaas.flamescope;

/**
 * A profile as FlameScope shows it: the type its profile list gives, its heat map (start and end as
 * FlameScope takes them, columns of one second, rows per second, the sum of its cells) and its flame
 * graph over the whole profile.
 */
public record Reading(
        String type, double start, double end, long columns, int rows, long heatmapSamples, Frame flameGraph) {

    /** The flame graph's samples: every node's value summed (FlameScope's root itself holds 0). */
    public long flameGraphSamples() {
        return flameGraph.total();
    }
}
