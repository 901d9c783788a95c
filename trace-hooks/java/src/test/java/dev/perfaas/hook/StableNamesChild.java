package dev.perfaas.hook;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * A child JVM of {@link StableNamesAcrossProcessesTest}: traced invocations under the async engine,
 * through the hook's own classes, of a call that passes a lambda, a proxy, reflection's generated
 * accessor and a method handle. With {@code shifted} it first makes other classes of each kind, so
 * its lambda, proxy and accessor numbers differ from an unshifted run's. Prints its lambda's and
 * proxy's class names, then the profile's path.
 */
final class StableNamesChild {
    private static final MethodHandle SPIN;

    static {
        try {
            SPIN = MethodHandles.lookup()
                    .findStatic(StableNamesChild.class, "spin", MethodType.methodType(double.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static volatile double sink;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        if (args[1].equals("shifted")) {
            shift();
        }
        Method viaHandle = StableNamesChild.class.getDeclaredMethod("viaHandle");
        Runnable proxy = (Runnable) Proxy.newProxyInstance(
                StableNamesChild.class.getClassLoader(), new Class<?>[] {Runnable.class}, (p, m, a) -> {
                    viaHandle.invoke(null); // past 15 calls, through a GeneratedMethodAccessor
                    return null;
                });
        Runnable call = () -> proxy.run();
        for (int i = 0; i < 200; i++) {
            call.run(); // untraced: links, spins and compiles what the traced calls run
        }
        AsyncSession s = AsyncSession.start(997, dir, "child", new CpuAccount());
        long end = System.nanoTime() + 1_500_000_000L;
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            s.enter();
            call.run();
            s.leave(start, System.nanoTime());
        }
        ProfileFile profile = s.finish();
        System.out.println(call.getClass().getName());
        System.out.println(proxy.getClass().getName());
        System.out.println(profile.file());
    }

    static void viaHandle() throws Throwable {
        sink += (double) SPIN.invokeExact(20_000);
    }

    static double spin(int n) {
        double x = 0;
        for (int i = 0; i < n; i++) {
            x += Math.sqrt(x + i);
        }
        return x;
    }

    /** Lambdas, a proxy and a generated accessor made before the traced code's. */
    private static void shift() throws Exception {
        List<Supplier<String>> some = List.of(() -> "a", () -> "b", () -> "c");
        some.forEach(Supplier::get);
        Proxy.newProxyInstance(
                StableNamesChild.class.getClassLoader(), new Class<?>[] {Callable.class}, (p, m, a) -> null);
        Method m = Object.class.getMethod("hashCode");
        for (int i = 0; i < 20; i++) {
            m.invoke(some);
        }
    }
}
