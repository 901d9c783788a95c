# The perfaas node agent's image (deploy/kubernetes/agent.yaml). From the repository root, after packaging:
#   mvn -B package -pl trace-hooks/host -am -DskipTests
#   docker build -f deploy/agent.Dockerfile -t perfaas/perfaas-node-agent:0.1.0 .
# Debian's perf (linux-perf) and JRE: perf record -a -G and perf script run beside the agent's JVM.
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless linux-perf \
 && rm -rf /var/lib/apt/lists/*
COPY trace-hooks/host/target/lib/ /opt/perfaas-agent/lib/
COPY trace-hooks/host/target/perfaas-node-agent-*.jar /opt/perfaas-agent/lib/
# The agent runs as uid 0 with only the capabilities the manifest adds (docs/deploy.md); /work and
# /tmp are the manifest's bounded volumes, the rest of the image is read-only.
WORKDIR /work
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-cp", "/opt/perfaas-agent/lib/*", "dev.perfaas.agent.AgentMain"]
