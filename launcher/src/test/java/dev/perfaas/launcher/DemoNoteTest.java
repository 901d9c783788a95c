package dev.perfaas.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The end of ./perfaas demo: the dashboard's address before FlameScope's commands. */
class DemoNoteTest {

    @Test
    void theDashboardComesBeforeFlameScope() {
        String note = Main.profilesNote(Path.of("/tmp/stacks"));
        int dashboard = note.indexOf("http://127.0.0.1:9876/dashboard/");
        int flameScope = note.indexOf("git clone https://github.com/Netflix/flamescope");
        assertTrue(dashboard >= 0 && flameScope > dashboard, note);
        assertTrue(note.contains("./perfaas controller --stacks /tmp/stacks"), note);
    }
}
