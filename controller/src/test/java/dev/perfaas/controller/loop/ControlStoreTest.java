package dev.perfaas.controller.loop;

import static dev.perfaas.controller.loop.Reports.window;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.perfaas.controller.control.ControlLaw;
import dev.perfaas.controller.control.LawConfig;
import dev.perfaas.controller.control.Targets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlStoreTest {

    @TempDir
    Path dir;

    @Test
    void aSecondStoreReadsWhatTheFirstWrote() throws IOException {
        FunctionStepper stepper = new FunctionStepper(new ControlLaw(LawConfig.DEFAULT), 30, 10);
        FunctionControl first = stepper.first(Targets.DEFAULT, new PublishedPolicy(0.1, 99, 1),
                MeasurementBuilder.build(List.of(window("a", 0, 0, 0, 0, 1, 0, 0))), 1);
        FunctionControl stepped = stepper.step(first, Targets.DEFAULT,
                MeasurementBuilder.build(List.of(window("a", 60, 1000, 10, 90, 10_000, 3, 7))), 2);
        SavedControl saved = new SavedControl(SavedControl.FORMAT,
                Map.of("_default", new Targets(0.02, 300, 19, 499, 0.01), "pi", Targets.DEFAULT),
                Map.of("pi", stepped));

        new ControlStore(dir).save(saved);

        assertEquals(saved, new ControlStore(dir).load());
    }

    @Test
    void savingTwiceLeavesOneFileAndNoTempFiles() throws IOException {
        ControlStore store = new ControlStore(dir);
        store.save(SavedControl.EMPTY);
        store.save(new SavedControl(SavedControl.FORMAT, Map.of("pi", Targets.DEFAULT), Map.of()));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(ControlStore.FILE_NAME), files.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(Map.of("pi", Targets.DEFAULT), store.load().targets());
    }

    @Test
    void nothingSavedLoadsEmptyAndCreatesTheDirectory() {
        Path nested = dir.resolve("a/b");
        assertEquals(SavedControl.EMPTY, new ControlStore(nested).load());
        assertEquals(true, Files.isDirectory(nested));
    }

    @Test
    void aTruncatedFileStopsTheLoadNamingIt() throws IOException {
        Files.writeString(dir.resolve(ControlStore.FILE_NAME), "{\"format\":1,\"targets\":{\"pi\":{\"maxOv");
        String message = refused();
        assertThat(message, containsString(dir.resolve(ControlStore.FILE_NAME).toString()));
        assertThat(message, containsString("move it away"));
    }

    @Test
    void invalidTargetsInTheFileAreRefused() throws IOException {
        Files.writeString(dir.resolve(ControlStore.FILE_NAME), """
                {"format":1,"functions":{},"targets":{"pi":{"maxOverhead":0.9,"samplesPerMinute":600,
                 "minFrequencyHz":19,"maxFrequencyHz":997,"minFraction":0.001}}}""");
        assertThat(refused(), containsString("targets of pi: maxOverhead must be in (0, 0.5], was 0.9"));
    }

    @Test
    void anotherFormatIsRefused() throws IOException {
        Files.writeString(dir.resolve(ControlStore.FILE_NAME), "{\"format\":2,\"targets\":{},\"functions\":{}}");
        assertThat(refused(), containsString("format 2 is not the 1 this controller reads"));
    }

    @Test
    void aFunctionWithoutItsStateIsRefused() throws IOException {
        Files.writeString(dir.resolve(ControlStore.FILE_NAME), """
                {"format":1,"targets":{},"functions":{"pi":{"policy":{"fraction":0.1,"frequencyHz":99,"version":1},
                 "history":[]}}}""");
        assertThat(refused(), containsString("function pi: state, policy and status must all be present"));
    }

    private String refused() {
        ControlStore store = new ControlStore(dir);
        return assertThrows(IllegalStateException.class, store::load).getMessage();
    }
}
