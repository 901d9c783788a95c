package dev.perfaas.pyroscope;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoded push.v1.PushRequest (Pyroscope's api/push/v1/push.proto): series of labels
 * (types.v1.LabelPair) and raw samples (pprof bytes and an ID). Decoding is strict: a field number or
 * wire type push.proto does not define is an error (annotations, field 3, are dropped by Pyroscope
 * and never sent by perfaas).
 */
public record PushRequest(List<Series> series) {

    public record Series(List<Label> labels, List<Sample> samples) {
        /** The labels as a map; {@link PyroscopeStandIn} has refused duplicate names. */
        public Map<String, String> labelMap() {
            Map<String, String> map = new LinkedHashMap<>();
            labels.forEach(l -> map.put(l.name(), l.value()));
            return map;
        }
    }

    public record Label(String name, String value) {}

    public record Sample(byte[] rawProfile, String id) {}

    public static PushRequest decode(byte[] body) throws IOException {
        List<Series> series = new ArrayList<>();
        ProtoReader in = new ProtoReader(body);
        while (in.more()) {
            expect(in.tag(), 1, "PushRequest");
            series.add(series(in.message()));
        }
        return new PushRequest(series);
    }

    private static Series series(ProtoReader in) throws IOException {
        List<Label> labels = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        while (in.more()) {
            long tag = in.tag();
            if (tag == (1 << 3 | ProtoReader.LENGTH_DELIMITED)) {
                labels.add(label(in.message()));
            } else {
                expect(tag, 2, "RawProfileSeries");
                samples.add(sample(in.message()));
            }
        }
        return new Series(labels, samples);
    }

    private static Label label(ProtoReader in) throws IOException {
        String name = "";
        String value = "";
        while (in.more()) {
            long tag = in.tag();
            if (tag == (1 << 3 | ProtoReader.LENGTH_DELIMITED)) {
                name = in.string();
            } else {
                expect(tag, 2, "LabelPair");
                value = in.string();
            }
        }
        return new Label(name, value);
    }

    private static Sample sample(ProtoReader in) throws IOException {
        byte[] raw = new byte[0];
        String id = "";
        while (in.more()) {
            long tag = in.tag();
            if (tag == (1 << 3 | ProtoReader.LENGTH_DELIMITED)) {
                raw = in.bytes();
            } else {
                expect(tag, 2, "RawSample");
                id = in.string();
            }
        }
        return new Sample(raw, id);
    }

    private static void expect(long tag, int field, String message) throws IOException {
        if (tag != ((long) field << 3 | ProtoReader.LENGTH_DELIMITED)) {
            throw new IOException("unexpected field " + (tag >>> 3) + " (wire type " + (tag & 7) + ") in " + message);
        }
    }
}
