package dev.perfaas.controller.profiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code perf script} text, one or more bodies in turn, and counts its stacks by frame names,
 * root first. One streaming pass per body; memory is bounded by the caps below whatever is read.
 * Sample lines and frame lines are told apart by {@link PerfScriptCheck}'s tests, the ones uploads were
 * checked with. {@link #sample} decides which samples count (ProfileSamples adds its heat map there).
 */
class StackReader {

    /** Distinct stacks held while reading; a sample with a stack past these is counted in otherStacks. */
    static final int MAX_STACKS_READ = 20_000;
    /** Stacks answered: the heaviest ones. */
    static final int MAX_STACKS_ANSWERED = 5_000;
    /** Frames kept of a stack, from its root; deeper ones (nearer the leaf) are cut. */
    static final int MAX_DEPTH = 256;
    /** Distinct frame names held; further names read as {@link #MORE_NAMES}. */
    static final int MAX_NAMES = 50_000;

    static final String MORE_NAMES = "(frame names past " + MAX_NAMES + ")";
    /** Longest frame name kept; longer names are cut. */
    static final int MAX_NAME_CHARS = 300;

    private static final int BUFFER = 64 * 1024;

    /** The heaviest stacks: {@code names}, and each stack {@code [count, name index of the root, ..., of the leaf]}. */
    record Stacks(List<String> names, List<long[]> stacks, long otherStacks) {}

    private final byte[] line = new byte[PerfScriptCheck.MAX_LINE_BYTES];
    private int length;
    private boolean tooLong;
    private boolean afterCr;
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
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (b == '\n' && afterCr) { // the "\n" of "\r\n"
                    afterCr = false;
                    continue;
                }
                afterCr = b == '\r';
                if (b == '\n' || b == '\r') {
                    endLine();
                } else if (length < line.length) {
                    line[length++] = b;
                } else {
                    tooLong = true;
                }
            }
        }
        endLine();
        endSample();
        afterCr = false;
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

    private void endLine() {
        if (tooLong) {
            skipped++;
        } else if (length == 0 || line[0] == '#' || PerfScriptCheck.isBlank(line, 0, length)) {
            endSample();
        } else {
            int timeEnd = line[0] == '\t' ? -1 : PerfScriptCheck.sampleTimeEnd(line, 0, length);
            if (timeEnd >= 0) {
                endSample();
                startSample(timeEnd);
            } else if (PerfScriptCheck.isFrame(line, 0, length)) {
                if (inSample) {
                    frames[frameCount++ % MAX_DEPTH] = frameIndex();
                }
            } else {
                skipped++;
            }
        }
        length = 0;
        tooLong = false;
    }

    private void startSample(int timeEnd) {
        int start = PerfScriptCheck.timeStart(line, 0, timeEnd);
        double time;
        try {
            time = Double.parseDouble(new String(line, start, timeEnd - start, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            skipped++;
            return;
        }
        samples++;
        inSample = sample(time);
        if (inSample) {
            counted++;
        }
    }

    private void endSample() {
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

    /** The name index of this frame line: from the cache, else named and remembered. */
    private int frameIndex() {
        int symbol = symbolStart();
        int index = frameCache.get(line, symbol, length);
        if (index < 0) {
            index = name(frameName(symbol));
            frameCache.put(line, symbol, length, index);
        }
        return index;
    }

    /** Where a frame line's symbol starts: after its indent and its address and the space after it. */
    private int symbolStart() {
        int i = 0;
        while (line[i] == '\t' || line[i] == ' ') {
            i++;
        }
        while (line[i] != ' ') {
            i++;
        }
        return i + 1;
    }

    /** The symbol of a frame line, its "+0x1f" offset dropped: "\t7f00 sym+0x1f (module)" -> "sym". */
    private String frameName(int symbolStart) {
        int i = symbolStart - 1;
        int end = length - 1;
        while (end > i + 1 && !(line[end] == '(' && line[end - 1] == ' ')) {
            end--;
        }
        String symbol = new String(line, i + 1, Math.max(0, end - 1 - (i + 1)), StandardCharsets.UTF_8);
        int plus = symbol.lastIndexOf("+0x");
        if (plus > 0 && symbol.substring(plus + 3).chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            symbol = symbol.substring(0, plus);
        }
        if (symbol.equals("[unknown]")) { // perf's unresolved frame: the module tells more
            symbol = "[" + new String(line, end + 1, length - end - 2, StandardCharsets.UTF_8) + "]";
        }
        return symbol.length() > MAX_NAME_CHARS ? symbol.substring(0, MAX_NAME_CHARS) + "..." : symbol;
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
