package dev.embeddinggateway.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embeddinggateway.auth.KeysProfile;
import dev.embeddinggateway.fakeopenai.FakeOpenAi;
import dev.embeddinggateway.routing.FakeOpenAiUpstreams;
import dev.embeddinggateway.testing.Eventually;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static dev.embeddinggateway.batch.BatchesTest.line;
import static dev.embeddinggateway.batch.BatchesTest.textBody;
import static dev.embeddinggateway.batch.BatchesTest.textLines;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** A batch belongs to its key and runs as that key: its model list and budget hold for every line. */
@QuarkusTest
@TestProfile(KeysProfile.class)
class BatchOwnershipTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    private static String batchOf(String key, List<String> lines) {
        String file = as(key).multiPart("file", "in.jsonl", (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8),
                "application/jsonl").multiPart("purpose", "batch").post("/v1/files").then().statusCode(200).extract().path("id");
        return as(key).contentType(ContentType.JSON).body("{\"input_file_id\":\"" + file + "\",\"endpoint\":\"/v1/embeddings\","
                + "\"completion_window\":\"24h\"}").post("/v1/batches").then().statusCode(200).extract().path("id");
    }

    private static JsonPath awaitFinished(String key, String id) {
        return BatchesTest.awaitFinished(() -> as(key), id);
    }

    private static Map<String, JsonNode> lines(String key, String fileId) throws Exception {
        Map<String, JsonNode> lines = new HashMap<>();
        if (fileId != null) {
            for (String text : as(key).get("/v1/files/" + fileId + "/content").then().statusCode(200).extract().asString().split("\n")) {
                JsonNode line = JSON.readTree(text);
                lines.put(line.get("custom_id").asText(), line);
            }
        }
        return lines;
    }

    @Test
    void anotherKeyNeitherSeesNorCancelsABatchAndTheAdminDoes() throws Exception {
        String id = batchOf(KeysProfile.METERED, List.of(line("a", textBody("all-minilm-l6-v2", "mine"))));
        as(KeysProfile.TOKENS).get("/v1/batches/" + id).then().statusCode(404);
        as(KeysProfile.TOKENS).post("/v1/batches/" + id + "/cancel").then().statusCode(404);
        assertThat(as(KeysProfile.TOKENS).get("/v1/batches").then().statusCode(200).extract().jsonPath()
                .getList("data.id", String.class)).doesNotContain(id);
        given().get("/v1/batches/" + id).then().statusCode(401);
        as(KeysProfile.ADMIN).get("/v1/batches/" + id).then().statusCode(200).body("id", equalTo(id));
        assertThat(as(KeysProfile.ADMIN).get("/v1/batches?limit=100").then().statusCode(200).extract().jsonPath()
                .getList("data.id", String.class)).contains(id);
        JsonPath done = awaitFinished(KeysProfile.METERED, id);
        assertThat(done.getString("status")).isEqualTo("completed");
        // The output file is the batch owner's too.
        as(KeysProfile.TOKENS).get("/v1/files/" + done.getString("output_file_id")).then().statusCode(404);
        as(KeysProfile.METERED).get("/v1/files/" + done.getString("output_file_id")).then().statusCode(200)
                .body("purpose", equalTo("batch_output"));
    }

    @Test
    void theAdminCancellingAnotherKeysBatchIsInTheAuditTrail() throws Exception {
        String id = batchOf(KeysProfile.METERED, textLines("c-", 1500, "all-minilm-l6-v2", i -> "a line to cancel " + i));
        as(KeysProfile.ADMIN).post("/v1/batches/" + id + "/cancel").then().statusCode(200);
        assertThat(awaitFinished(KeysProfile.METERED, id).getString("status")).isEqualTo("cancelled");
        JsonPath trail = as(KeysProfile.ADMIN).get("/admin/audit").then().statusCode(200).extract().jsonPath()
                .setRootPath("data.find { it.target == '" + id + "' }");
        assertThat(trail.getString("action")).isEqualTo("batch.cancelled");
        assertThat(trail.getString("actor")).isEqualTo("admin");
        assertThat(trail.getMap("details")).containsKey("request_counts");
    }

    @Test
    void eachLineRunsWithTheModelsOfTheKeyThatCreatedTheBatch() throws Exception {
        String id = batchOf(KeysProfile.ZH_ONLY, List.of(line("zh", textBody("bge-small-zh-v1.5-q", "治疗感冒的药")),
                line("en", textBody("all-minilm-l6-v2", "not this key's model"))));
        JsonPath done = awaitFinished(KeysProfile.ZH_ONLY, id);
        assertThat(done.getInt("request_counts.completed")).isEqualTo(1);
        assertThat(done.getInt("request_counts.failed")).isEqualTo(1);
        assertThat(lines(KeysProfile.ZH_ONLY, done.getString("output_file_id"))).containsOnlyKeys("zh");
        JsonNode refused = lines(KeysProfile.ZH_ONLY, done.getString("error_file_id")).get("en");
        assertThat(refused.at("/response/status_code").asInt()).isEqualTo(404);
        assertThat(refused.at("/response/body/error/code").asText()).isEqualTo("model_not_found");
    }

    @Test
    void aSpentBudgetFailsTheRemainingLinesInsteadOfRetryingThem() throws Exception {
        String id = batchOf(KeysProfile.BUDGET, textLines("b-", 20, "priced-minilm",
                i -> "each of these lines costs a few thousandths of a dollar " + i));
        JsonPath done = awaitFinished(KeysProfile.BUDGET, id);
        assertThat(done.getString("status")).isEqualTo("completed");
        Map<String, JsonNode> errors = lines(KeysProfile.BUDGET, done.getString("error_file_id"));
        assertThat(errors).isNotEmpty();
        assertThat(errors.values()).allSatisfy(e -> {
            assertThat(e.at("/response/status_code").asInt()).isEqualTo(429);
            assertThat(e.at("/response/body/error/code").asText()).isEqualTo("insufficient_quota");
        });
        assertThat(done.getInt("request_counts.failed")).isEqualTo(errors.size());
    }

    @Test
    void oneKeysManyBatchesDoNotHoldBackAnotherKeysOneLineBatch() {
        // Slow answers for the busy key's model, so that its 20 batches (one chunk each) queue up.
        for (FakeOpenAi upstream : List.of(FakeOpenAiUpstreams.A, FakeOpenAiUpstreams.B)) {
            upstream.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withTransformers(FakeOpenAi.ANSWER)
                    .withFixedDelay(300)));
        }
        try {
            List<String> busy = IntStream.range(0, 20).mapToObj(b -> batchOf(KeysProfile.METERED, textLines("f" + b + "-", 40,
                    "text-embedding-3-small", i -> "fair share " + b + " " + i + " " + System.nanoTime()))).toList();
            Eventually.within(Duration.ofMinutes(1)).until(() -> busy.stream().noneMatch(id -> "validating".equals(
                    as(KeysProfile.METERED).get("/v1/batches/" + id).path("status"))));
            int before = completedLines(busy);
            String one = batchOf(KeysProfile.TOKENS, List.of(line("one", textBody("all-minilm-l6-v2", "one line"))));
            assertThat(awaitFinished(KeysProfile.TOKENS, one).getInt("request_counts.completed")).isEqualTo(1);
            // Its turn came at the first free slot: the busy key finished at most the chunks in flight and one more.
            assertThat(completedLines(busy) - before).as("the busy key's lines run meanwhile").isLessThanOrEqualTo(4 * 40);
        } finally {
            FakeOpenAiUpstreams.answerNormally();
        }
    }

    private static int completedLines(List<String> batches) {
        return batches.stream().mapToInt(id -> as(KeysProfile.METERED).get("/v1/batches/" + id).then().statusCode(200)
                .extract().<Integer>path("request_counts.completed")).sum();
    }
}
