# The perfaas controller image, Quarkus's JVM layout. From the repository root, after packaging:
#   mvn -B package -pl controller -am -DskipTests
#   docker build -f deploy/controller.Dockerfile -t perfaas/perfaas-controller:0.1.0 .
FROM eclipse-temurin:17-jre
# A fixed uid: the Kubernetes manifests' fsGroup and faasd's `user:` name it.
RUN groupadd --system --gid 10001 perfaas \
 && useradd --system --uid 10001 --gid perfaas --home-dir /deployments perfaas \
 && mkdir -p /data/stacks /data/state && chown perfaas:perfaas /data/stacks /data/state
WORKDIR /deployments
# Dependencies first: they change less often than the application, so their layers stay cached.
COPY controller/target/quarkus-app/lib/ lib/
COPY controller/target/quarkus-app/*.jar ./
COPY controller/target/quarkus-app/app/ app/
COPY controller/target/quarkus-app/quarkus/ quarkus/
USER 10001
# What the controller writes: the FlameScope profile directory, and the state it keeps across
# restarts (targets, the control law's state, policies, counters). Mount volumes on both to keep them.
ENV PERFAAS_STACKS_DIR=/data/stacks
ENV PERFAAS_DATA_DIR=/data/state
EXPOSE 9876
# Half the container's memory for the heap: 256 MB at the manifests' 512Mi limit, where metaspace,
# code cache, threads and Netty's buffers take most of the rest (RSS stayed under 410 MB with
# -Xmx256m through BENCHMARKS.md section 3). At 75 % the heap alone could push RSS past the limit.
# More JVM options (an -Xmx wins over the percentage): JAVA_TOOL_OPTIONS, which the JVM reads by itself.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-jar", "/deployments/quarkus-run.jar"]
