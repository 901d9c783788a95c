package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The rewrites that make frame names the same in every JVM, each form as an engine writes it (seen on JDK 17 here). */
class FrameNamesTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // class name as an engine gives it | the stable name
                "dev.perfaas.runtime.FunctionServer$$Lambda$145.0x00007f64d00d44d0 | dev.perfaas.runtime.FunctionServer$$Lambda",
                "dev.perfaas.runtime.FunctionServer$$Lambda$145/0x0000000800c01234 | dev.perfaas.runtime.FunctionServer$$Lambda",
                "Names$$Lambda$65+0x00007f4a20000a10.592959754 | Names$$Lambda",
                "java.util.regex.CharPredicates$$Lambda$17/0x800000025 | java.util.regex.CharPredicates$$Lambda",
                "com.acme.Handler$$Lambda/0x000001b2c3004a00 | com.acme.Handler$$Lambda",
                "java.lang.invoke.LambdaForm$MH/0x0000000800c0a000 | java.lang.invoke.LambdaForm$MH",
                "java.lang.invoke.LambdaForm$DMH.0x00007f4a20009000 | java.lang.invoke.LambdaForm$DMH",
                "java.lang.invoke.LambdaForm$BMH+0x00007f4a2000a400.1860250540 | java.lang.invoke.LambdaForm$BMH",
                "java.lang.invoke.LambdaForm$NFI/0x0000000800c0b400 | java.lang.invoke.LambdaForm$NFI",
                "com.acme.Generated/0x0000000801000c00 | com.acme.Generated",
                "jdk.proxy2.$Proxy12 | jdk.proxy.$Proxy",
                "jdk.proxy13.$Proxy7 | jdk.proxy.$Proxy",
                "com.sun.proxy.$Proxy7 | com.sun.proxy.$Proxy",
                "com.acme.$Proxy31 | com.acme.$Proxy",
                "jdk.internal.reflect.GeneratedMethodAccessor123 | jdk.internal.reflect.GeneratedMethodAccessor",
                "jdk.internal.reflect.GeneratedConstructorAccessor7 | jdk.internal.reflect.GeneratedConstructorAccessor",
                "jdk.internal.reflect.GeneratedSerializationConstructorAccessor42 | jdk.internal.reflect.GeneratedSerializationConstructorAccessor",
                "sun.reflect.GeneratedMethodAccessor5 | sun.reflect.GeneratedMethodAccessor",
            })
    void dropsWhatDiffersPerProcess(String name, String stable) {
        assertEquals(stable, FrameNames.stable(name));
    }

    /** Names a user may have chosen, and the JDK's own stable ones: returned as they are, not copied. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "com.acme.Foo$1",
                "com.acme.Foo$$Lambda$1", // a user's class: no hidden-class address follows
                "com.acme.GeneratedMethodAccessor1", // not the JDK's package
                "com.acme.internal.reflect.GeneratedMethodAccessor1",
                "com.acme.Outer$$Proxy12", // nested: a proxy class never is
                "com.acme.Outer$Proxy12",
                "com.acme.$ProxyFactory",
                "com.acme.$Proxy",
                "com.acme.Hex0x12",
                "com.acme.v0x1.Service",
                "java.lang.invoke.LambdaForm$MH",
                "java.lang.invoke.Invokers$Holder",
                "jdk.proxy2.Helper",
            })
    void leavesUsersNamesAlone(String name) {
        assertSame(name, FrameNames.stable(name));
    }

    @ParameterizedTest
    @CsvSource(
            delimiterString = " | ",
            ignoreLeadingAndTrailingWhitespace = false,
            value = {
                // perf script frame line | the line written
                "\t    7f4a854964c0 java.lang.Object java.lang.invoke.LambdaForm$MH/0x00007f4a20001000.invoke(java.lang.Object)+0x44 (/tmp/perf-123.map)"
                        + " | \t    7f4a854964c0 java.lang.Object java.lang.invoke.LambdaForm$MH.invoke(java.lang.Object) (/tmp/perf-123.map)",
                "\t    7f4a85479640 void java.util.ArrayDeque$$Lambda$38/0x00007f4a20069130.accept(java.lang.Object) (/tmp/perf-1.map)"
                        + " | \t    7f4a85479640 void java.util.ArrayDeque$$Lambda.accept(java.lang.Object) (/tmp/perf-1.map)",
                "\t    7f4a8547d120 java.lang.Object jdk.proxy2.$Proxy26.work(int)+0x1c (/tmp/perf-1.map)"
                        + " | \t    7f4a8547d120 java.lang.Object jdk.proxy.$Proxy.work(int) (/tmp/perf-1.map)",
                "\t    7f4a8547d120 java.lang.Object jdk.internal.reflect.GeneratedMethodAccessor7.invoke(java.lang.Object, java.lang.Object[])+0x9c (/tmp/perf-1.map)"
                        + " | \t    7f4a8547d120 java.lang.Object jdk.internal.reflect.GeneratedMethodAccessor.invoke(java.lang.Object, java.lang.Object[]) (/tmp/perf-1.map)",
                "\t    7f4a8cf113a0 double Names.burn(int)+0x318 (/tmp/perf-1.map) | \t    7f4a8cf113a0 double Names.burn(int) (/tmp/perf-1.map)",
                "\t          8282d2 JavaCalls::call_helper+0x302 (/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so)"
                        + " | \t          8282d2 JavaCalls::call_helper (/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so)",
                "\tffffffff9a4000e6 asm_sysvec_apic_timer_interrupt+0x16 ([kernel.kallsyms]) | \tffffffff9a4000e6 asm_sysvec_apic_timer_interrupt ([kernel.kallsyms])",
            })
    void perfFramesLoseAddressesNumbersAndOffsets(String line, String stable) {
        assertEquals(stable, FrameNames.stablePerfFrame(line));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\t    7fb46ceca8c4 [unknown] (/tmp/perf-24161.map)",
                "\t    7f4a85479640 double com.acme.Foo.$Proxy12(int) (/tmp/perf-1.map)", // a user's method
                "\t    7f4a85479640 void com.acme.Foo$$Lambda$1.run() (/tmp/perf-1.map)",
                "\tffffffff810013aa xen_hypercall_sched_op ([kernel.kallsyms])",
                "\t    7f4a85479640 Interpreter (/tmp/perf-1.map)",
                "\t    7f4a85479640 f+0xzz (/a.so)",
                "Thread-3 24267   445.069349:    1003009 cpu-clock:ppp: ",
                "# cmdline : /usr/bin/perf record -F 99 -g -o /tmp/perf-0x1.data",
                "",
            })
    void otherPerfLinesStay(String line) {
        assertSame(line, FrameNames.stablePerfFrame(line));
    }

    @Test
    void theInProcessEnginesFramesAreStable() {
        StringBuilder sb = new StringBuilder();
        JfrScript.appendFrame(
                sb, "dev.perfaas.runtime.FunctionServer$$Lambda$145.0x00007f64d00d44d0", "handle", "JIT compiled");
        JfrScript.appendFrame(sb, "jdk.proxy2.$Proxy12", "$Proxy3", "Interpreted");
        assertEquals(
                "\t0 dev.perfaas.runtime.FunctionServer$$Lambda.handle (java)\n\t0 jdk.proxy.$Proxy.$Proxy3 (java)\n",
                sb.toString(),
                "class names are rewritten, a method's name never");
    }
}
