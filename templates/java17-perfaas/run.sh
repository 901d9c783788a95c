#!/bin/sh
# Starts the function runtime: of-watchdog's fprocess runs this, and so does `./perfaas function`.
# -XX:+PreserveFramePointer lets perf walk Java stacks (its cost is part of the overhead perfaas
# reports); the runtime writes /tmp/perf-<pid>.map itself before each symbolization.
cd "$(dirname "$0")" || exit 1
exec java -XX:+PreserveFramePointer ${JAVA_OPTS:-} \
  -cp "function/target/function.jar:function/target/lib/*" dev.perfaas.runtime.Main
