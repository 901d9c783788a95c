# LOCAL STAND-IN for ghcr.io/openfaas/of-watchdog:0.11.5 (see build.sh): the template copies only
# /fwatchdog from it. This one is a POSIX sh script that runs $fprocess as of-watchdog does (split
# on spaces, no shell) in its place; it forwards nothing, so the tests talk to the runtime's port.
FROM debian:bookworm-slim
COPY fwatchdog /fwatchdog
RUN chmod 0755 /fwatchdog
