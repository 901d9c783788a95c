package dev.perfaas.flamescope;

/** FlameScope would not show the file: its message says which step fails and how FlameScope answers. */
public final class FlameScopeFailure extends RuntimeException {

    FlameScopeFailure(String file, String what) {
        super(file + ": " + what);
    }
}
