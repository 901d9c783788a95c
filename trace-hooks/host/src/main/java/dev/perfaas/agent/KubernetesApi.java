package dev.perfaas.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * GETs from the Kubernetes API server as a pod's ServiceAccount, with the JDK alone: the server's
 * address from the environment every pod gets, its CA and the account's token from the files the
 * kubelet mounts. The token is read again for every request: projected tokens are rotated (hourly).
 */
final class KubernetesApi {
    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
    /** A node's function pods are tens to hundreds of KB of JSON; a larger answer is refused, not buffered. */
    private static final int MAX_ANSWER = 32 << 20;

    private final URI server;
    private final Path tokenFile;
    private final HttpClient http;

    KubernetesApi(URI server, Path tokenFile, Path caFile) throws IOException {
        this.server = server;
        this.tokenFile = tokenFile;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .sslContext(trusting(caFile))
                .build();
    }

    /** In a pod: KUBERNETES_SERVICE_HOST and _PORT, and the ServiceAccount's files; null outside a cluster. */
    static KubernetesApi inCluster(Map<String, String> env) throws IOException {
        String host = env.get("KUBERNETES_SERVICE_HOST");
        if (host == null || host.isBlank()) {
            return null;
        }
        String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
        String authority = host.contains(":") ? "[" + host + "]" : host; // an IPv6 service address
        return new KubernetesApi(
                URI.create("https://" + authority + ":" + port),
                SERVICE_ACCOUNT.resolve("token"),
                SERVICE_ACCOUNT.resolve("ca.crt"));
    }

    /** The body of a 200 answer to {@code GET pathAndQuery}; any other status is an IOException. */
    String get(String pathAndQuery) throws IOException {
        String token = Files.readString(tokenFile).strip();
        HttpRequest request = HttpRequest.newBuilder(server.resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<InputStream> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted asking the Kubernetes API");
        }
        byte[] body;
        try (InputStream in = r.body()) {
            body = in.readNBytes(MAX_ANSWER + 1);
        }
        String text = new String(body, 0, Math.min(body.length, MAX_ANSWER), StandardCharsets.UTF_8);
        if (r.statusCode() != 200) {
            throw new IOException("Kubernetes API answered " + r.statusCode() + " to GET " + pathAndQuery + ": "
                    + (text.length() > 300 ? text.substring(0, 300) + "..." : text));
        }
        if (body.length > MAX_ANSWER) {
            throw new IOException("Kubernetes API answer to GET " + pathAndQuery + " exceeds " + MAX_ANSWER + " bytes");
        }
        return text;
    }

    /** TLS that trusts the cluster's CA (every certificate of the PEM file) and nothing else. */
    private static SSLContext trusting(Path caFile) throws IOException {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + n++, c);
            }
            if (n == 0) {
                throw new IOException("no certificate in " + caFile);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust the CA in " + caFile + ": " + e.getMessage(), e);
        }
    }
}
