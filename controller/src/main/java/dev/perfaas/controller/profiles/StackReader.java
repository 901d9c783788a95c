package dev.perfaas.controller.profiles;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the stacks of {@code perf script} text, one or more bodies in turn, by frame names, root first;
 * lines are read by {@link PerfScriptReader}. Memory is bounded by the caps below whatever is read, and
 * frame lines seen before are named from a {@link FrameCache} without being decoded. {@link #sample}
 * decides which samples count (ProfileSamples adds its heat map there).
 */
class StackReader implements PerfScriptReader.Lines {

    /** Distinct stacks held while reading; a sample with a stack past these is counted in otherStacks. */
    static final int MAX_STACKS_READ = 20_000;
    /** Stacks answered: the heaviest ones. */
    static final int MAX_STACKS_ANSWERED = 5_000;
    /** Frames kept of a stack, from its root; deeper ones (nearer the leaf) are cut. */
    static final int MAX_DEPTH = 256;
    /** Distinct frame names held; further names read as {@link #MORE_NAMES}. */
    static final int MAX_NAMES = 50_000;

    static final String MORE_NAMES = "(frame names past " + MAX_NAMES + ")";

    /** The heaviest stacks: {@code names}, and each stack {@code [count, name index of the root, ..., of the leaf]}. */
    record Stacks(List<String> names, List<long[]> stacks, long otherStacks) {}

    private final Map<String, Integer> nameIndex = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private final Map<String, long[]> stacks = new HashMap<>(); // key: name indices root first; value: {count}
    private final FrameCache frameCache = new FrameCache();
    // The sample's last MAX_DEPTH frames (perf prints the leaf first, so these are the root's end), in a ring.
    private final int[] frames = new int[MAX_DEPTH];
    private int frameCount;
    private boolean inSample; // the current sample counts: its frames are kept
    private long samples;
    private long counted;
    private long otherStacks;
    private long skipped;

    /** Reads one body to its end; a sample does not continue into the next body. */
    void readAll(InputStream in) throws IOException {
        PerfScriptReader.read(in, this);
    }

    /** Whether the sample at perf time {@code time} counts; every sample does unless overridden. */
    boolean sample(double time) {
        return true;
    }

    /** Samples read, counted or not. */
    long samples() {
        return samples;
    }

    /** Samples whose stacks were counted. */
    long counted() {
        return counted;
    }

    /** Lines that are neither a sample, a frame, a comment nor blank, or longer than a line may be. */
    long skippedLines() {
        return skipped;
    }

    @Override
    public void sample(double time, PerfScriptReader.Line line) {
        samples++;
        inSample = sample(time);
        if (inSample) {
            counted++;
        }
    }

    @Override
    public void frame(PerfScriptReader.Line line) {
        if (!inSample) {
            return;
        }
        int index = line.cached(frameCache);
        if (index < 0) {
            index = name(line.frameName(ProfileSamples.MAX_NAME_CHARS));
            line.cache(frameCache, index);
        }
        frames[frameCount++ % MAX_DEPTH] = index;
    }

    @Override
    public void endStack() {
        if (!inSample) {
            return;
        }
        inSample = false;
        StringBuilder key = new StringBuilder();
        for (int k = 1; k <= Math.min(frameCount, MAX_DEPTH); k++) { // from the root
            key.append(frames[(frameCount - k) % MAX_DEPTH]).append(';');
        }
        frameCount = 0;
        long[] count = stacks.get(key.toString());
        if (count == null) {
            if (stacks.size() >= MAX_STACKS_READ) {
                otherStacks++;
                return;
            }
            count = new long[1];
            stacks.put(key.toString(), count);
        }
        count[0]++;
    }

    @Override
    public void skipped() {
        skipped++;
    }

    private int name(String name) {
        Integer index = nameIndex.get(name);
        if (index == null && names.size() >= MAX_NAMES) {
            index = nameIndex.get(MORE_NAMES);
        }
        if (index == null) {
            name = names.size() >= MAX_NAMES ? MORE_NAMES : name;
            index = names.size();
            names.add(name);
            nameIndex.put(name, index);
        }
        return index;
    }

    /** The {@link #MAX_STACKS_ANSWERED} heaviest stacks, with only the names they use; the rest in otherStacks. */
    Stacks heaviest() {
        List<Map.Entry<String, long[]>> heaviest = new ArrayList<>(stacks.entrySet());
        heaviest.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0])
                .reversed()
                .thenComparing(Map.Entry<String, long[]>::getKey)); // the same answer for the same input
        long other = otherStacks;
        // Only the names the answered stacks use, renumbered.
        Map<Integer, Integer> renumbered = new HashMap<>();
        List<String> usedNames = new ArrayList<>();
        List<long[]> answered = new ArrayList<>();
        for (int s = 0; s < heaviest.size(); s++) {
            Map.Entry<String, long[]> e = heaviest.get(s);
            if (s >= MAX_STACKS_ANSWERED) {
                other += e.getValue()[0];
                continue;
            }
            String[] parts = e.getKey().isEmpty() ? new String[0] : e.getKey().split(";");
            long[] stack = new long[parts.length + 1];
            stack[0] = e.getValue()[0];
            for (int i = 0; i < parts.length; i++) {
                int old = Integer.parseInt(parts[i]);
                stack[i + 1] = renumbered.computeIfAbsent(old, o -> {
                    usedNames.add(names.get(o));
                    return usedNames.size() - 1;
                });
            }
            answered.add(stack);
        }
        return new Stacks(usedNames, answered, other);
    }
}
