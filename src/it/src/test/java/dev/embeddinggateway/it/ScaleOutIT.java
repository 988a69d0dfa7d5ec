package dev.embeddinggateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas configured exactly as {@code docker/compose.yaml} configures its gateway service (only the
 * service names point at this machine's Redis and PostgreSQL) behave as one gateway: one cache, one set of
 * limits, one ledger; and the health paths the compose file, the images and the Kubernetes Deployment probe
 * answer.
 */
@Slow
class ScaleOutIT {
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
                .replace("//redis-limits:", "//127.0.0.1:")
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
            assertThat(new GatewayClient(first).get(path).status()).as(path).isEqualTo(200);
        }
    }

    @Test
    void anInputEmbeddedThroughOneReplicaIsACacheHitThroughTheOther() throws Exception {
        String key = createKey(first, Map.of());
        awaitKnown(second, key);
        String text = "scale-out cache " + UUID.randomUUID();
        GatewayClient.Answer computed = new GatewayClient(first).withKey(key).embed(text);
        GatewayClient.Answer cached = new GatewayClient(second).withKey(key).embed(text);
        assertThat(computed.header("x-cache-misses")).hasValue("1");
        assertThat(cached.header("x-cache-hits")).hasValue("1");
        assertThat(cached.header("x-gateway-provider")).hasValue("cache");
        assertThat(cached.at("/data/0/embedding")).isEqualTo(computed.at("/data/0/embedding"));
    }

    @Test
    void aKeyOfTenAMinuteIsAdmittedTenTimesAcrossBothAndTheLedgerShowsBoth() throws Exception {
        String key = createKey(first, Map.of("requests_per_minute", 10));
        awaitKnown(second, key);
        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            int status = new GatewayClient(i % 2 == 0 ? first : second).withKey(key).embed("limited " + i).status();
            assertThat(status).isIn(200, 429);
            admitted += status == 200 ? 1 : 0;
        }
        System.out.printf("two replicas as composed, a 10/min key, 20 requests alternating: %d admitted%n", admitted);
        assertThat(admitted).isEqualTo(10);

        // Each replica writes its own traffic within a second; either one reads both.
        for (GatewayProcess replica : List.of(first, second)) {
            await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(teamRequests(replica, key)).as(replica.url("/v1/usage")).isEqualTo(10));
        }
    }

    private static long teamRequests(GatewayProcess replica, String key) throws Exception {
        long requests = 0;
        for (JsonNode row : new GatewayClient(replica).withKey(key).get("/v1/usage?group_by=key").json().get("data")) {
            requests += row.get("requests").asLong();
        }
        return requests;
    }

    private static String createKey(GatewayProcess replica, Map<String, Object> rateLimit) throws Exception {
        // A team of its own: the key's usage report shows this key's traffic alone.
        String team = "scale-out-" + UUID.randomUUID().toString().substring(0, 8);
        GatewayClient.Answer created = new GatewayClient(replica).withKey(ADMIN_KEY)
                .post("/admin/keys", Map.of("name", "scale-out", "team", team, "rate_limit", rateLimit));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("key").asText();
    }

    /** Stored keys reach every replica within its refresh interval (5 s). */
    private static void awaitKnown(GatewayProcess replica, String key) {
        // Once a second: every miss is a failed authentication, and an address has 20 a minute.
        await("the second replica to learn the key stored through the first").atMost(Duration.ofSeconds(12))
                .pollDelay(Duration.ofSeconds(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> new GatewayClient(replica).withKey(key).get("/v1/models").status() == 200);
    }
}
