package dev.embeddinggateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas configured exactly as {@code docker/compose.yaml} configures its gateway service (only the
 * service names point at this machine's Redis and PostgreSQL) behave as one gateway: one cache, one set of
 * limits, one ledger; and the health paths the compose file, the images and the Kubernetes Deployment probe
 * answer.
 */
class ScaleOutIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "sk-admin-" + UUID.randomUUID();

    /** A database of this run's own: the keys it stores must not turn authentication on for other tests. */
    private static String database;

    private static GatewayProcess first;
    private static GatewayProcess second;

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        database = MachinePostgres.create("scale_out_");
        Map<String, String> environment = localServices(DeploymentFiles.composeGatewayEnvironment(
                Map.of("GATEWAY_ADMIN_KEY_SHA256", KeyHashes.sha256(ADMIN_KEY))));
        first = GatewayProcess.start(Map.of(), environment, Files.createTempDirectory("replica-1"));
        second = GatewayProcess.start(Map.of(), environment, Files.createTempDirectory("replica-2"));
    }

    /** Compose's service names are this machine's services; its database user is the machine's trusted one. */
    private static Map<String, String> localServices(Map<String, String> environment) {
        Map<String, String> local = new LinkedHashMap<>();
        environment.forEach((name, value) -> local.put(name, value.replace("//redis:", "//127.0.0.1:")
                .replace("jdbc:postgresql://postgres:5432/gateway", MachinePostgres.jdbcUrl(database))));
        local.put("GATEWAY_STORE_USERNAME", "postgres");
        return local;
    }

    @AfterAll
    static void stop() throws Exception {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        MachinePostgres.drop(database);
    }

    @Test
    void kubernetesIsConfiguredAsComposeIs() throws Exception {
        assertThat(DeploymentFiles.kubernetesEnvironmentNames())
                .containsExactlyInAnyOrderElementsOf(DeploymentFiles.composeGatewayEnvironment(Map.of()).keySet());
    }

    @Test
    void everyProbedHealthPathAnswers() throws Exception {
        List<String> paths = DeploymentFiles.probedPaths();
        assertThat(paths).contains("/q/health/live", "/q/health/ready");
        for (String path : paths) {
            HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(first.url(path))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void anInputEmbeddedThroughOneReplicaIsACacheHitThroughTheOther() throws Exception {
        String key = createKey(first, Map.of());
        awaitKnown(second, key);
        String text = "scale-out cache " + UUID.randomUUID();
        HttpResponse<String> computed = embed(first, key, text);
        HttpResponse<String> cached = embed(second, key, text);
        assertThat(computed.headers().firstValue("x-cache-misses")).hasValue("1");
        assertThat(cached.headers().firstValue("x-cache-hits")).hasValue("1");
        assertThat(cached.headers().firstValue("x-gateway-provider")).hasValue("cache");
        assertThat(vector(cached)).isEqualTo(vector(computed));
    }

    @Test
    void aKeyOfTenAMinuteIsAdmittedTenTimesAcrossBothAndTheLedgerShowsBoth() throws Exception {
        String key = createKey(first, Map.of("requests_per_minute", 10));
        awaitKnown(second, key);
        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            int status = embed(i % 2 == 0 ? first : second, key, "limited " + i).statusCode();
            assertThat(status).isIn(200, 429);
            admitted += status == 200 ? 1 : 0;
        }
        System.out.printf("two replicas as composed, a 10/min key, 20 requests alternating: %d admitted%n", admitted);
        assertThat(admitted).isEqualTo(10);

        // Each replica writes its own traffic within a second; either one reads both.
        for (GatewayProcess replica : List.of(first, second)) {
            assertThat(awaitTeamRequests(replica, key, 10)).as(replica.url("/v1/usage")).isEqualTo(10);
        }
    }

    private static long awaitTeamRequests(GatewayProcess replica, String key, long expected) throws Exception {
        long requests = 0;
        for (int attempt = 0; attempt < 50 && requests != expected; attempt++) {
            requests = 0;
            HttpResponse<String> usage = get(replica, "/v1/usage?group_by=key", key);
            for (JsonNode row : JSON.readTree(usage.body()).get("data")) {
                requests += row.get("requests").asLong();
            }
            if (requests != expected) {
                Thread.sleep(200);
            }
        }
        return requests;
    }

    private static String createKey(GatewayProcess replica, Map<String, Object> rateLimit) throws Exception {
        // A team of its own: the key's usage report shows this key's traffic alone.
        String team = "scale-out-" + UUID.randomUUID().toString().substring(0, 8);
        String body = JSON.writeValueAsString(Map.of("name", "scale-out", "team", team, "rate_limit", rateLimit));
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(replica.url("/admin/keys")))
                .header("content-type", "application/json").header("Authorization", "Bearer " + ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("key").asText();
    }

    /** Stored keys reach every replica within its refresh interval (5 s). */
    private static void awaitKnown(GatewayProcess replica, String key) throws Exception {
        // Once a second: every miss is a failed authentication, and an address has 20 a minute.
        for (int attempt = 0; attempt < 12; attempt++) {
            Thread.sleep(1000);
            if (get(replica, "/v1/models", key).statusCode() == 200) {
                return;
            }
        }
        throw new AssertionError("the second replica never learned the key stored through the first");
    }

    private static HttpResponse<String> get(GatewayProcess replica, String path, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(replica.url(path))).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> embed(GatewayProcess replica, String key, String text) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(replica.url("/v1/embeddings")))
                .header("content-type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("input", text)))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode vector(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).at("/data/0/embedding");
    }
}
