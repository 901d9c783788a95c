package dev.perfaas.controller.profiles;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Stacks as folded text, the merged-stack format of Brendan Gregg's stackcollapse scripts that
 * flamegraph.pl, inferno, speedscope and Pyroscope's folded ingest read: a line per stack, frames from
 * the root joined by ';', a space and the count. The format has no escaping, so a ';' in a frame's name
 * is written as ':'. Written as it goes: the text repeats names, and is never held whole.
 */
public final class FoldedStacks {

    /** The frame of a stack with no frames (a sample perf could not walk). */
    public static final String NO_FRAMES = "[no frames]";
    /** The one frame of the samples of the stacks past those answered. */
    public static final String OTHER_STACKS = "[stacks past the " + StackReader.MAX_STACKS_ANSWERED + " heaviest]";

    private FoldedStacks() {}

    /** {@code stacks} as {@link StackReader.Stacks} holds them; {@code other} samples on a line of their own. */
    public static void write(List<String> names, List<long[]> stacks, long other, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        for (long[] stack : stacks) {
            if (stack.length == 1) {
                w.write(NO_FRAMES);
            }
            for (int i = 1; i < stack.length; i++) {
                if (i > 1) {
                    w.write(';');
                }
                w.write(names.get((int) stack[i]).replace(';', ':'));
            }
            w.write(' ');
            w.write(Long.toString(stack[0]));
            w.write('\n');
        }
        if (other > 0) {
            w.write(OTHER_STACKS + " " + other + "\n");
        }
        w.flush();
    }
}
