package dev.perfaas.controller.pyroscope;

import dev.perfaas.controller.pprof.ProtoWriter;
import java.util.List;

/**
 * The body of Pyroscope's Connect unary push (api/push/v1/push.proto, content type application/proto):
 * PushRequest{series = 1: RawProfileSeries{labels = 1: LabelPair{name = 1, value = 2},
 * samples = 2: RawSample{raw_profile = 1, ID = 2}}}. One series and one sample a request: each stored
 * profile is pushed, retried or dropped on its own. Pinned by docs/protocol/pyroscope-push.bin.
 */
final class PushRequestWire {

    private PushRequestWire() {}

    static byte[] encode(List<Label> labels, byte[] pprof, String id) {
        ProtoWriter series = new ProtoWriter();
        for (Label label : labels) {
            series.message(1, new ProtoWriter().string(1, label.name()).string(2, label.value()));
        }
        series.message(2, new ProtoWriter().bytes(1, pprof).string(2, id));
        return new ProtoWriter().message(1, series).toByteArray();
    }
}
