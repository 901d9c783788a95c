package dev.perfaas.controller.loop;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.SafeName;
import dev.perfaas.controller.control.ControlLaw;
import dev.perfaas.controller.control.Targets;
import dev.perfaas.controller.functions.FunctionRegistry;
import dev.perfaas.controller.functions.ReceivedReport;
import dev.perfaas.controller.policy.PolicyBook;
import dev.perfaas.controller.profiles.ProfileStore;
import dev.perfaas.controller.profiles.Retention;
import dev.perfaas.controller.targets.EffectiveTargets;
import dev.perfaas.controller.targets.TargetsBook;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The controlled functions: steps their laws on new reports, applies operator targets, publishes
 * the resulting policies and saves what changed (ControlStore). Loaded at startup, so a restarted
 * controller answers the policies it answered before and resumes each law where it stopped; saved
 * state it cannot read stops the startup. One lock: steps and target changes are rare and short,
 * and the policy endpoint reads the PolicyBook, never this.
 *
 * <p>It also keeps the registry's counters across restarts: a function's are saved with each of its
 * control steps and, on a clean stop, every function's; at startup they are put back and the
 * profiles on disk counted. A crash loses what came in since each function's last step (at most
 * about a window and a period of reports, and the instances only heard of then) and the step of an
 * interrupted save; targets are saved before they take effect, so none is lost.
 */
@Startup
@ApplicationScoped
public class ControlService {

    private final FunctionRegistry registry;
    private final TargetsBook targets;
    private final PolicyBook book;
    private final ControlStore store;
    private final FunctionStepper stepper;
    private final long waitMillis;
    // Where each function's reports were read up to, and which instances the last step heard from;
    // not saved, because report sequences restart with the controller.
    private final Map<String, Cursor> cursors = new HashMap<>();
    // Replaced, never edited (see install): read without the lock, so a scrape never waits for a step's save.
    private volatile Map<String, FunctionControl> functions = Map.of();

    private record Cursor(long sequence, Set<String> instances) {
        static final Cursor START = new Cursor(0, Set.of());
    }

    public ControlService(
            PerfaasConfig config,
            FunctionRegistry registry,
            TargetsBook targets,
            PolicyBook book,
            ProfileStore profiles,
            ControlLaw law) {
        this.registry = registry;
        this.targets = targets;
        this.book = book;
        long periodMillis = config.control().period().toMillis();
        if (periodMillis <= 0) {
            throw new IllegalStateException("perfaas.control.period must be positive, got "
                    + config.control().period());
        }
        if (config.control().history() < 1) {
            throw new IllegalStateException("perfaas.control.history must be at least 1, got "
                    + config.control().history());
        }
        this.stepper = new FunctionStepper(law, config.control().history(), periodMillis / 1000.0);
        this.store = new ControlStore(config.dataDir(), config.control().history());
        // A live instance reports once a window; the loop looks once a period.
        this.waitMillis = config.policy().windowSeconds() * 1000L + periodMillis;
        store.sweep();
        resume(store.load(), profiles.retention().status().functions());
    }

    private synchronized void resume(SavedControl saved, Map<String, Retention.Usage> onDisk) {
        targets.replace(saved.targets());
        Map<String, FunctionControl> loaded = new TreeMap<>();
        saved.functions().forEach((function, f) -> {
            if (f.control() != null) {
                loaded.put(function, f.control());
            }
            if (f.counters() != null) {
                registry.restore(function, f.counters());
            }
        });
        // The files are the record of the profiles: counted again, after retention, rather than saved.
        long profiles = 0;
        for (Map.Entry<String, Retention.Usage> f : onDisk.entrySet()) {
            if (SafeName.isFunction(f.getKey())) {
                registry.profilesFound(f.getKey(), f.getValue().files());
                profiles += f.getValue().files();
            }
        }
        // The configured targets may have changed while the controller was down.
        Map<String, FunctionControl> inside = retargeted(loaded, targets.overrides());
        install(inside);
        // Also where a format-1 state is migrated, or a journal cut by a crash replaced.
        saveOrLog(changed(loaded, inside));
        Log.infof(
                "control state in %s: %d functions (%d controlled), %d target overrides; %d profiles on disk",
                store.dir(),
                saved.functions().size(),
                inside.size(),
                saved.targets().size(),
                profiles);
    }

    /**
     * One pass of the loop: every function whose pending reports make a batch (see BatchGate) is
     * stepped once. Returns how many were.
     */
    public synchronized int stepAll(long nowMillis) {
        Map<String, FunctionControl> next = new TreeMap<>(functions);
        List<String> stepped = new ArrayList<>();
        for (String function : registry.names()) {
            Cursor cursor = cursors.getOrDefault(function, Cursor.START);
            List<ReceivedReport> pending = registry.reportsAfter(function, cursor.sequence());
            if (!BatchGate.ready(pending, cursor.instances(), nowMillis, waitMillis)) {
                continue;
            }
            cursors.put(
                    function,
                    new Cursor(
                            pending.get(pending.size() - 1).sequence(),
                            pending.stream().map(ReceivedReport::instance).collect(Collectors.toUnmodifiableSet())));
            try {
                next.put(function, step(function, next.get(function), MeasurementBuilder.build(pending), nowMillis));
                stepped.add(function);
            } catch (RuntimeException e) {
                // One function's bad batch must not stop the others; the batch is dropped, not retried.
                Log.errorf(e, "control step of %s failed; its %d reports are dropped", function, pending.size());
            }
        }
        if (!stepped.isEmpty()) {
            install(next);
            saveOrLog(stepped);
        }
        return stepped.size();
    }

    private FunctionControl step(String function, FunctionControl previous, MeasuredPeriod period, long nowMillis) {
        Targets effective = targets.effective(function).targets();
        return previous == null
                ? stepper.first(effective, PublishedPolicy.of(book.current(function)), period, nowMillis)
                : stepper.step(previous, effective, period, nowMillis);
    }

    /**
     * Sets {@code name}'s targets ({@value TargetsBook#DEFAULT_NAME} for every function without its
     * own) and brings the published policies inside them at once. Saved before it takes effect: if
     * the save fails, nothing changes.
     */
    public synchronized EffectiveTargets putTargets(String name, Targets value) {
        Map<String, Targets> overrides = new TreeMap<>(targets.overrides());
        overrides.put(name, value);
        apply(overrides);
        return targets.effective(name);
    }

    /** Removes {@code name}'s targets; it falls back to _default's, then to the configured ones. */
    public synchronized EffectiveTargets deleteTargets(String name) {
        Map<String, Targets> overrides = new TreeMap<>(targets.overrides());
        if (overrides.remove(name) == null) {
            throw ApiException.notFound("no targets set for \"" + name + "\": it follows "
                    + targets.effective(name).source().label() + " targets");
        }
        apply(overrides);
        return targets.effective(name);
    }

    private void apply(Map<String, Targets> overrides) {
        Map<String, FunctionControl> next = retargeted(functions, overrides);
        try {
            save(overrides, next, changed(functions, next));
        } catch (IOException e) {
            throw new UncheckedIOException("targets not changed: cannot save the control state in " + store.dir(), e);
        }
        targets.replace(overrides);
        install(next);
    }

    /** Makes {@code next} current and publishes the policies that changed (records are replaced, never edited). */
    private void install(Map<String, FunctionControl> next) {
        Map<String, FunctionControl> before = functions;
        functions = next;
        next.forEach((function, control) -> {
            if (before.get(function) != control) {
                publish(function, control);
            }
        });
    }

    private Map<String, FunctionControl> retargeted(Map<String, FunctionControl> from, Map<String, Targets> overrides) {
        Map<String, FunctionControl> next = new TreeMap<>();
        from.forEach((function, control) -> next.put(
                function,
                stepper.retarget(
                        control,
                        TargetsBook.effective(overrides, targets.configured(), function)
                                .targets())));
        return next;
    }

    private void publish(String function, FunctionControl control) {
        book.publish(
                function,
                control.policy().fraction(),
                control.policy().frequencyHz(),
                control.policy().version());
    }

    /** On a clean stop, every function's counters as they are, so a restart loses no report. */
    synchronized void stopping(@Observes ShutdownEvent event) {
        TreeSet<String> names = new TreeSet<>(functions.keySet());
        names.addAll(registry.names());
        saveOrLog(names);
    }

    /** The functions whose record is not the same in {@code next}: the records are replaced, never edited. */
    private static List<String> changed(Map<String, FunctionControl> before, Map<String, FunctionControl> next) {
        return next.keySet().stream()
                .filter(function -> before.get(function) != next.get(function))
                .toList();
    }

    // The loop goes on when the disk fails: the policies are published, the next save may succeed.
    private void saveOrLog(Collection<String> changed) {
        try {
            save(targets.overrides(), functions, changed);
        } catch (IOException e) {
            Log.errorf(e, "cannot save the control state in %s; it is kept in memory", store.dir());
        }
    }

    /** Saves the {@code changed} functions of {@code controls} with their counters as they are now. */
    private void save(Map<String, Targets> overrides, Map<String, FunctionControl> controls, Collection<String> changed)
            throws IOException {
        Map<String, SavedFunction> saved = new HashMap<>();
        changed.forEach(function -> saved.put(function, saved(controls, function)));
        store.save(overrides, saved, () -> {
            Map<String, SavedFunction> everything = new HashMap<>();
            TreeSet<String> names = new TreeSet<>(controls.keySet());
            names.addAll(registry.names());
            names.forEach(function -> everything.put(function, saved(controls, function)));
            return everything;
        });
    }

    private SavedFunction saved(Map<String, FunctionControl> controls, String function) {
        return new SavedFunction(
                controls.get(function), registry.counters(function).orElse(null));
    }

    public Optional<FunctionControl> function(String function) {
        return Optional.ofNullable(functions.get(function));
    }

    public synchronized Map<String, FunctionControl> functions() {
        return Collections.unmodifiableMap(new TreeMap<>(functions));
    }
}
