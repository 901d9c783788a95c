# LOCAL STAND-IN for maven:3.9-eclipse-temurin-17 (see build.sh): Debian's OpenJDK 17 and Maven.
# The host's extra CA certificates go in before the JDK, so ca-certificates-java puts them in
# Java's cacerts too.
FROM debian:bookworm-slim
COPY certs/ /usr/local/share/ca-certificates/
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && update-ca-certificates \
 && apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven \
 && rm -rf /var/lib/apt/lists/*
