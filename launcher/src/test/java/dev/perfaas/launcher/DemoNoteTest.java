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
        // FlameScope's config.py turns Werkzeug's debugger on (it runs code a browser sends) on every address.
        assertTrue(note.contains("s|^DEBUG = .*|DEBUG = False|"), note);
        assertTrue(note.contains("s|^HOST = .*|HOST = '127.0.0.1'|"), note);
    }
}
