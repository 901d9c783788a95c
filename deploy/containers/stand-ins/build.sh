#!/bin/sh
# Builds LOCAL STAND-INS for the base images perfaas's Dockerfiles name, each only when no image of
# that name exists: on a machine that reaches no container registry nothing can be pulled. Users
# pull the real images; these only let the container tests build the Dockerfiles as they are.
# Every stand-in carries the label dev.perfaas.stand-in=true. Needs root (debootstrap), docker, and
# network access to a Debian mirror (DEBIAN_MIRROR, default http://deb.debian.org/debian).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
label=dev.perfaas.stand-in=true

missing() { ! docker image inspect "$1" >/dev/null 2>&1; }
say() { echo "perfaas stand-ins: $*" >&2; }

if missing debian:bookworm-slim; then
  say "building a LOCAL STAND-IN for debian:bookworm-slim (debootstrap --variant=minbase bookworm, ~2 min)"
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 || { tail -20 "$root.log" >&2; exit 1; }
  rm -f "$root.log"
  rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*
  tar -C "$root" -c . | docker import --change "LABEL $label" --change 'CMD ["bash"]' - debian:bookworm-slim >/dev/null
  rm -rf "$root"
  trap - EXIT
fi

# The other stand-ins are Dockerfiles on that base.
build() { # image dockerfile [context]
  if missing "$1"; then
    say "building a LOCAL STAND-IN for $1 from $2"
    docker build -q --network host --label "$label" -t "$1" -f "$here/$2" "${3:-$here}" >/dev/null
  fi
}

# Maven's traffic may pass a TLS proxy the host trusts: the image gets the host's extra CA
# certificates (Debian keeps them in /usr/local/share/ca-certificates), or Maven fails with PKIX errors.
if missing maven:3.9-eclipse-temurin-17; then
  ctx=$(mktemp -d)
  mkdir "$ctx/certs"
  find /usr/local/share/ca-certificates -name '*.crt' -exec cp {} "$ctx/certs/" \; 2>/dev/null || true
  build maven:3.9-eclipse-temurin-17 maven.Dockerfile "$ctx"
  rm -rf "$ctx"
fi
build eclipse-temurin:17-jre temurin-jre.Dockerfile
build ghcr.io/openfaas/of-watchdog:0.11.5 of-watchdog.Dockerfile
