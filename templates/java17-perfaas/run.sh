#!/bin/sh
# Starts the function runtime: of-watchdog's fprocess runs this, and so does `./perfaas function`.
# The sampling engine runs in the JVM (async-profiler) unless PERFAAS_ENGINE=perf pins this function
# to perf, or PERFAAS_ENGINE=host-perf hands it to the node agent's perf on the host; perf needs
# -XX:+PreserveFramePointer to walk Java stacks, and that flag costs every invocation, traced or not
# (BENCHMARKS.md), so it is set only then.
cd "$(dirname "$0")" || exit 1
frames=""
case "${PERFAAS_ENGINE:-}" in
  perf|host-perf) frames="-XX:+PreserveFramePointer" ;;
esac
# async-profiler's library as the image unpacked it (Dockerfile); without it, it is extracted to
# java.io.tmpdir and loaded from there.
case "$(uname -m)" in
  x86_64|amd64) platform=linux-x64 ;;
  aarch64|arm64) platform=linux-arm64 ;;
  *) platform=unknown ;;
esac
native=""
[ -f "native/$platform/libasyncProfiler.so" ] && native="-Done.profiler.libraryPath=$PWD/native/$platform/libasyncProfiler.so"
# The hook's begin, end and answered stay calls: inlined, their traced paths (taken only with perfaas
# on) changed how C2 compiled the request method, into which it also takes the handler's hot loop
# (BENCHMARKS.md, section 9). As calls, the request method compiles alike with perfaas on and off,
# for ~10 ns an invocation. "quiet" keeps the JVM from printing these commands to the log.
hook="-XX:CompileCommand=quiet"
for m in begin end answered; do hook="$hook -XX:CompileCommand=dontinline,dev.perfaas.hook.TraceHook::$m"; done
exec java $frames $native $hook ${JAVA_OPTS:-} \
  -cp "function/target/function.jar:function/target/lib/*" dev.perfaas.runtime.Main
