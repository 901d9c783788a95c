# LOCAL STAND-IN for eclipse-temurin:17-jre (see build.sh): Debian's OpenJDK 17 JRE.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
 && rm -rf /var/lib/apt/lists/*
