#!/bin/sh
# Starts the function runtime: of-watchdog's fprocess runs this, and so does `./perfaas function`.
# The sampling engine runs in the JVM (async-profiler) unless PERFAAS_ENGINE=perf pins this function
# to perf, which needs -XX:+PreserveFramePointer to walk Java stacks; that flag costs every
# invocation, traced or not (BENCHMARKS.md), so it is set only then.
cd "$(dirname "$0")" || exit 1
frames=""
[ "${PERFAAS_ENGINE:-}" = perf ] && frames="-XX:+PreserveFramePointer"
exec java $frames ${JAVA_OPTS:-} \
  -cp "function/target/function.jar:function/target/lib/*" dev.perfaas.runtime.Main
