package dev.embeddinggateway.audit;

import dev.embeddinggateway.auth.KeysProfile;
import dev.embeddinggateway.testing.Embeddings;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Every admin action on keys is in {@code GET /admin/audit}: who, what, on what, from where; never the key. */
@QuarkusTest
@TestProfile(KeysProfile.class)
class AuditTrailTest {
    private static final String FROM = "203.0.113.7";

    private static RequestSpecification admin() {
        // KeysProfile trusts X-Forwarded-For, as behind the compose file's proxy.
        return given().header("Authorization", "Bearer " + KeysProfile.ADMIN).header("X-Forwarded-For", FROM);
    }

    private static int requestLimitOf(String key) {
        return Integer.parseInt(Embeddings.post(key, Embeddings.body("all-minilm-l6-v2", "audit")).then().statusCode(200)
                .extract().header("x-ratelimit-limit-requests"));
    }

    @Test
    void keyCreatedChangedAndRevokedAreRecordedWithoutTheKey() {
        JsonPath created = admin().contentType(ContentType.JSON).body(Map.of("name", "audited", "team", "docs",
                "rate_limit", Map.of("requests_per_minute", 5))).post("/admin/keys").then().statusCode(201).extract().jsonPath();
        String id = created.getString("id");
        String key = created.getString("key");
        assertThat(requestLimitOf(key)).isEqualTo(5);

        Map<String, Object> change = new HashMap<>();
        change.put("rate_limit", Map.of("requests_per_minute", 7));
        change.put("budget", Map.of("monthly_usd", 2.5));
        admin().contentType(ContentType.JSON).body(change).patch("/admin/keys/" + id).then().statusCode(200)
                .body("rate_limit.requests_per_minute", equalTo(7)).body("budget.monthly_usd", equalTo("2.5"))
                .body("team", equalTo("docs"));
        assertThat(requestLimitOf(key)).as("the changed limit holds at once").isEqualTo(7);
        admin().delete("/admin/keys/" + id).then().statusCode(200);

        String trail = admin().get("/admin/audit").then().statusCode(200).extract().asString();
        assertThat(trail).doesNotContain(key).doesNotContain(KeysProfile.ADMIN);
        JsonPath events = new JsonPath(trail).setRootPath("data.findAll { it.target == '" + id + "' }");
        assertThat(events.getList("action", String.class)).containsExactly("key.revoked", "key.changed", "key.created");
        assertThat(events.getList("actor", String.class)).containsOnly("admin");
        assertThat(events.getList("address", String.class)).containsOnly(FROM);
        assertThat(events.getMap("[1].details")).containsOnlyKeys("rate_limit", "budget");
        assertThat(events.getString("[1].details.budget.monthly_usd")).isEqualTo("2.5");
        assertThat(events.getString("[2].details.team")).isEqualTo("docs");
        assertThat(events.getMap("[0].details")).containsEntry("name", "audited").containsEntry("team", "docs");
    }

    @Test
    void theTrailPagesNewestFirstAndIsTheAdminsOnly() {
        for (String name : List.of("first", "second")) {
            String id = admin().contentType(ContentType.JSON).body(Map.of("name", name, "team", "paging"))
                    .post("/admin/keys").then().statusCode(201).extract().path("id");
            admin().delete("/admin/keys/" + id).then().statusCode(200);
        }
        JsonPath first = admin().get("/admin/audit?limit=1").then().statusCode(200).extract().jsonPath();
        assertThat(first.getBoolean("has_more")).isTrue();
        assertThat(first.getString("data[0].action")).isEqualTo("key.revoked");
        JsonPath next = admin().get("/admin/audit?limit=2&after=" + first.getString("last_id")).then().statusCode(200)
                .extract().jsonPath();
        assertThat(next.getList("data.action", String.class)).containsExactly("key.created", "key.revoked");
        assertThat(next.getLong("data[0].created_at")).isLessThanOrEqualTo(first.getLong("data[0].created_at"));

        admin().get("/admin/audit?limit=0").then().statusCode(400).body("error.param", equalTo("limit"));
        admin().get("/admin/audit?after=audit_nothing").then().statusCode(404);
        given().header("Authorization", "Bearer " + KeysProfile.TOKENS).get("/admin/audit").then().statusCode(403);
        given().get("/admin/audit").then().statusCode(401);
        admin().contentType(ContentType.JSON).body(Map.of("rate_limit", Map.of("requests_per_minute", 0)))
                .patch("/admin/keys/key_missing").then().statusCode(404);
    }

    @Test
    void theAdminReadingListingAndDeletingAnotherKeysFilesAndBatchesIsRecorded() {
        RequestSpecification owner = given().header("Authorization", "Bearer " + KeysProfile.TOKENS);
        String file = owner.multiPart("file", "theirs.jsonl", "{}\n".getBytes(StandardCharsets.UTF_8))
                .multiPart("purpose", "batch").post("/v1/files").then().statusCode(200).extract().path("id");
        String batch = given().header("Authorization", "Bearer " + KeysProfile.TOKENS).contentType(ContentType.JSON)
                .body(Map.of("input_file_id", file, "endpoint", "/v1/embeddings", "completion_window", "24h"))
                .post("/v1/batches").then().statusCode(200).extract().path("id");
        // What a key does with its own is not recorded.
        given().header("Authorization", "Bearer " + KeysProfile.TOKENS).get("/v1/files/" + file).then().statusCode(200);

        admin().get("/v1/files/" + file).then().statusCode(200);
        admin().get("/v1/files/" + file + "/content").then().statusCode(200);
        admin().get("/v1/batches/" + batch).then().statusCode(200);
        admin().get("/v1/files").then().statusCode(200);
        admin().get("/v1/batches").then().statusCode(200);
        admin().delete("/v1/files/" + file).then().statusCode(200);

        String trail = admin().get("/admin/audit?limit=100").then().statusCode(200).extract().asString();
        JsonPath onFile = new JsonPath(trail).setRootPath("data.findAll { it.target == '" + file + "' }");
        assertThat(onFile.getList("action", String.class)).containsExactly("file.deleted", "file.content_read", "file.read");
        assertThat(onFile.getList("actor", String.class)).containsOnly("admin");
        assertThat(onFile.getList("address", String.class)).containsOnly(FROM);
        assertThat(onFile.getList("details.owner", String.class)).allSatisfy(o -> assertThat(o).startsWith("tokens-"));
        JsonPath onBatch = new JsonPath(trail).setRootPath("data.findAll { it.target == '" + batch + "' }");
        assertThat(onBatch.getList("action", String.class)).containsExactly("batch.read");
        assertThat(new JsonPath(trail).getList("data.findAll { it.target == '/v1/files' }.action", String.class)).contains("files.listed");
        assertThat(new JsonPath(trail).getList("data.findAll { it.target == '/v1/batches' }.action", String.class))
                .contains("batches.listed");
    }
}
