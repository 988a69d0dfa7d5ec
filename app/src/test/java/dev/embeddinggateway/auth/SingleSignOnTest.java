package dev.embeddinggateway.auth;

import dev.embeddinggateway.testing.Embeddings;
import dev.embeddinggateway.testing.Eventually;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.embeddinggateway.auth.FakeIdentityProvider.claims;
import static dev.embeddinggateway.auth.FakeIdentityProvider.signed;
import static dev.embeddinggateway.testing.Embeddings.body;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A bearer JWT of the organization's identity provider is a caller like a key: its subject is the ledger's key id,
 * its {@code groups} claim names the team, one group is admin. Every token the provider did not issue, for this
 * gateway, now, is a 401 in OpenAI's shape, and API keys keep working beside tokens.
 */
@QuarkusTest
@TestProfile(OidcProfile.class)
class SingleSignOnTest {
    @TestHTTPResource("/v1/embeddings")
    URI embeddings;
    private static final Map<String, Object> SIGNED_IN = body("all-minilm-l6-v2", "signed in");

    @Test
    void aTokenOfTheProviderIsServedAsItsTeam() {
        String alice = signed(claims("alice-" + KeysProfile.RUN).claim("groups", List.of("search")));
        Embeddings.post(alice, SIGNED_IN).then().statusCode(200).body("data[0].embedding.size()", equalTo(384))
                .header("x-ratelimit-limit-requests", "1000");
        // The ledger has the subject as its key and the group as its team; a team sees its own usage only.
        String key = "oidc:alice-" + KeysProfile.RUN;
        // The ledger writes every flush.
        List<String> keys = Eventually.within(Duration.ofSeconds(10))
                .until(() -> given().header("Authorization", "Bearer " + alice).get("/v1/usage?group_by=key,team").then()
                        .statusCode(200).body("data.team", org.hamcrest.Matchers.everyItem(equalTo("search")))
                        .extract().jsonPath().getList("data.key", String.class), listed -> listed.contains(key));
        assertThat(keys).contains(key);
        // Not admin: the admin API refuses it.
        given().header("Authorization", "Bearer " + alice).get("/admin/keys").then().statusCode(403)
                .body("error.code", equalTo("admin_key_required"));
    }

    @Test
    void aTeamWithAnAllotmentSharesItAcrossItsMembersInABurst() throws Exception {
        List<String> members = List.of("ann", "bob", "cem", "dee").stream().map(name -> signed(
                claims(name + "-" + KeysProfile.RUN).claim("groups", List.of(OidcProfile.SHARED_TEAM)))).toList();
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            burst.add(client.sendAsync(HttpRequest.newBuilder(embeddings).header("Authorization", "Bearer " + members.get(i % 4))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"all-minilm-l6-v2\",\"input\":\"burst " + i + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        Map<Integer, Long> statuses = burst.stream().map(CompletableFuture::join)
                .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertThat(statuses).containsEntry(200, (long) OidcProfile.SHARED_LIMIT).containsEntry(429, 60L - OidcProfile.SHARED_LIMIT);
        Embeddings.post(members.get(0), SIGNED_IN).then().statusCode(429).body("error.code", equalTo("rate_limit_exceeded"))
                .body("error.message", containsString("team " + OidcProfile.SHARED_TEAM));
        // A person of another team is not held back by it.
        Embeddings.post(signed(claims("eve-" + KeysProfile.RUN).claim("groups", List.of("search"))), SIGNED_IN).then()
                .statusCode(200);
    }

    @Test
    void aPersonsBatchRunsAsThatPersonAndTheirTeam() {
        String carol = signed(claims("carol-" + KeysProfile.RUN).claim("groups", List.of("search")));
        String lines = IntStream.range(0, 5).mapToObj(i -> "{\"custom_id\":\"p-" + i + "\",\"method\":\"POST\",\"url\":"
                + "\"/v1/embeddings\",\"body\":{\"model\":\"all-minilm-l6-v2\",\"input\":\"a person's line " + i + "\"}}\n")
                .collect(Collectors.joining());
        String file = as(carol).multiPart("file", "people.jsonl", lines.getBytes(StandardCharsets.UTF_8), "application/jsonl")
                .multiPart("purpose", "batch").post("/v1/files").then().statusCode(200).extract().path("id");
        String batch = as(carol).contentType(ContentType.JSON).body(Map.of("input_file_id", file, "endpoint",
                "/v1/embeddings", "completion_window", "24h")).post("/v1/batches").then().statusCode(200).extract().path("id");
        JsonPath done = Eventually.within(Duration.ofMinutes(1)).until(() -> as(carol).get("/v1/batches/" + batch).then()
                .statusCode(200).extract().jsonPath(), b -> !List.of("validating", "in_progress").contains(b.getString("status")));
        assertThat(done.getString("status")).isEqualTo("completed");
        assertThat(done.getInt("request_counts.completed")).isEqualTo(5);
        assertThat(done.getInt("request_counts.failed")).isZero();
        assertThat(done.getString("error_file_id")).isNull();
        // Billed to the person and their team, as their own requests are.
        Map<String, Object> usage = Eventually.within(Duration.ofSeconds(10)).until(() -> as(carol)
                        .get("/v1/usage?group_by=batch,key,team").then().statusCode(200).extract().jsonPath()
                        .<Map<String, Object>>getList("data").stream().filter(r -> batch.equals(r.get("batch"))).findFirst(),
                Optional::isPresent).orElseThrow();
        assertThat(usage).containsEntry("key", "oidc:carol-" + KeysProfile.RUN).containsEntry("team", "search");
        assertThat(((Number) usage.get("requests")).intValue()).isEqualTo(5);
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    @Test
    void theAdminGroupAdministersAndTheAuditTrailNamesTheSubject() {
        String boss = signed(claims("boss").claim("groups", List.of(OidcProfile.ADMIN_GROUP)));
        String id = given().header("Authorization", "Bearer " + boss).contentType(ContentType.JSON)
                .body(Map.of("name", "made-by-sso", "team", "docs")).post("/admin/keys").then().statusCode(201)
                .extract().path("id");
        given().header("Authorization", "Bearer " + boss).get("/admin/audit").then().statusCode(200)
                .body("data.find { it.target == '" + id + "' }.actor", equalTo("oidc:boss"))
                .body("data.find { it.target == '" + id + "' }.actor_team", equalTo("admin"));
        given().header("Authorization", "Bearer " + boss).delete("/admin/keys/" + id).then().statusCode(200);
    }

    @Test
    void aNewlineInASubjectOrTeamIsEscapedInTheLogAndKeptInTheAuditTrail() {
        String subject = "mallory\n2026-12-08 02:00:00,000 INFO  [dev.emb.aud.AuditLog] audit: keys.create by oidc:boss";
        String team = "ops\r\nforged\u0085line";
        String token = signed(claims(subject).claim("groups", List.of(OidcProfile.ADMIN_GROUP, team)));
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                lines.add(((org.jboss.logmanager.ExtLogRecord) record).getFormattedMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger audit = java.util.logging.Logger.getLogger("dev.embeddinggateway.audit.AuditLog");
        audit.addHandler(capture);
        try {
            String id = given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                    .body(Map.of("name", "made-by-mallory", "team", "docs")).post("/admin/keys").then().statusCode(201)
                    .extract().path("id");
            // The trail keeps what the identity provider sent.
            given().header("Authorization", "Bearer " + token).get("/admin/audit").then().statusCode(200)
                    .body("data.find { it.target == '" + id + "' }.actor", equalTo("oidc:" + subject))
                    .body("data.find { it.target == '" + id + "' }.actor_team", equalTo(team));
            given().header("Authorization", "Bearer " + token).delete("/admin/keys/" + id).then().statusCode(200);
            List<String> ours = lines.stream().filter(l -> l.contains(id)).toList();
            assertThat(ours).hasSize(2).allSatisfy(line -> assertThat(line)
                    .doesNotContain("\n", "\r", "\u0085")
                    .contains("by oidc:mallory\\n2026-12-08 02:00:00,000 INFO")
                    .contains("(team ops\\r\\nforged\\u0085line)"));
        } finally {
            audit.removeHandler(capture);
        }
    }

    @Test
    void tokensNotIssuedForThisGatewayNowAreRefused() {
        var expired = claims("late").claim("groups", List.of("search")).issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600));
        var otherAudience = claims("elsewhere").audience("another-service").claim("groups", List.of("search"));
        var otherIssuer = claims("forger").issuer("https://idp.example/realms/other").claim("groups", List.of("search"));
        Map<String, String> refused = Map.of(
                "expired", signed(expired),
                "wrong audience", signed(otherAudience),
                "wrong issuer", signed(otherIssuer),
                "signed by a key the provider does not publish", FakeIdentityProvider.sign(
                        claims("stranger").claim("groups", List.of("search")), FakeIdentityProvider.STRANGER.getPrivate()),
                "unsigned (alg none)", unsigned("{\"iss\":\"" + FakeIdentityProvider.issuer() + "\",\"aud\":\""
                        + FakeIdentityProvider.AUDIENCE + "\",\"sub\":\"nobody\",\"groups\":[\"" + OidcProfile.ADMIN_GROUP
                        + "\"],\"exp\":" + (Instant.now().getEpochSecond() + 300) + "}"),
                "tampered", tampered(signed(claims("mallory").claim("groups", List.of("search")))));
        refused.forEach((why, token) -> Embeddings.post(token, SIGNED_IN).then().statusCode(401)
                .body("error.code", equalTo("invalid_api_key"))
                .body("error.type", equalTo("invalid_request_error")));
        refused.forEach((why, token) -> given().header("Authorization", "Bearer " + token).get("/admin/keys").then()
                .statusCode(401));
    }

    @Test
    void aValidTokenWithoutATeamIsForbiddenAndKeysStillWork() {
        Embeddings.post(signed(claims("teamless")), SIGNED_IN).then().statusCode(403)
                .body("error.code", equalTo("team_claim_missing"));
        Embeddings.post(OidcProfile.KEY, SIGNED_IN).then().statusCode(200);
        Embeddings.post("sk-not-a-key", SIGNED_IN).then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().contentType(ContentType.JSON).body(Map.of("input", "x")).post("/v1/embeddings").then().statusCode(401);
    }

    @Test
    void aTeamClaimLongerThanAKeysTeamIsKeptWholeSoItsMemberSeesItsUsage() {
        String team = "a team named at length ".repeat(9) + KeysProfile.RUN;
        String member = signed(claims("long-team-" + KeysProfile.RUN).claim("groups", List.of(team)));
        Embeddings.post(member, SIGNED_IN).then().statusCode(200);
        List<String> teams = Eventually.within(Duration.ofSeconds(10))
                .until(() -> given().header("Authorization", "Bearer " + member).get("/v1/usage?group_by=team").then()
                        .statusCode(200).extract().jsonPath().getList("data.team", String.class), listed -> !listed.isEmpty());
        assertThat(team).hasSizeGreaterThan(128);
        assertThat(teams).containsExactly(team);
    }

    @Test
    void aLongSubjectUploadsAndCreatesBatchesAsItself() {
        String subject = "a-subject-as-long-as-an-identity-provider-may-make-it-".repeat(4).substring(0, 190) + KeysProfile.RUN;
        String person = signed(claims(subject).claim("groups", List.of("search")));
        String file = given().header("Authorization", "Bearer " + person)
                .multiPart("file", "in.jsonl", "{}\n".getBytes(StandardCharsets.UTF_8), "application/jsonl")
                .multiPart("purpose", "batch").post("/v1/files").then().statusCode(200).extract().path("id");
        given().header("Authorization", "Bearer " + person).get("/v1/files").then().statusCode(200)
                .body("data.id", org.hamcrest.Matchers.contains(file));
        given().header("Authorization", "Bearer " + person).contentType(ContentType.JSON)
                .body(Map.of("input_file_id", file, "endpoint", "/v1/embeddings", "completion_window", "24h"))
                .post("/v1/batches").then().statusCode(200).body("status", equalTo("validating"));
    }

    @Test
    void claimsLongerThanTheGatewayTakesAreRefusedNamingTheClaim() {
        Embeddings.post(signed(claims("s".repeat(257)).claim("groups", List.of("search"))), SIGNED_IN).then()
                .statusCode(401).body("error.code", equalTo("claim_too_long")).body("error.message", containsString("'sub'"));
        Embeddings.post(signed(claims("short-" + KeysProfile.RUN).claim("groups", List.of("t".repeat(257)))), SIGNED_IN)
                .then().statusCode(401).body("error.code", equalTo("claim_too_long"))
                .body("error.message", containsString("'groups'"));
    }

    private static String unsigned(String payload) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return url.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".";
    }

    /** The token with its payload's team changed to the admin group, its signature kept. */
    private static String tampered(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"search\"", "\"" + OidcProfile.ADMIN_GROUP + "\"");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
    }
}
