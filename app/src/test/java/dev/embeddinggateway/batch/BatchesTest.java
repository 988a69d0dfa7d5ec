package dev.embeddinggateway.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embeddinggateway.fakeopenai.FakeOpenAi;
import dev.embeddinggateway.routing.FakeOpenAiUpstreams;
import dev.embeddinggateway.testing.Eventually;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** OpenAI's Batches API for /v1/embeddings, as a client sees it, on the embedded store. */
@QuarkusTest
@QuarkusTestResource(FakeOpenAiUpstreams.class)
class BatchesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> FINISHED = Set.of("completed", "failed", "expired", "cancelled");

    static String line(String customId, String body) {
        return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":" + body + "}";
    }

    static String textBody(String model, String text) {
        return "{\"model\":\"" + model + "\",\"input\":\"" + text + "\"}";
    }

    /** {@code count} lines of one text each: custom ids {@code prefix0}, {@code prefix1}…, line i's text {@code text(i)}. */
    static List<String> textLines(String prefix, int count, String model, IntFunction<String> text) {
        return IntStream.range(0, count).mapToObj(i -> line(prefix + i, textBody(model, text.apply(i)))).toList();
    }

    static String uploadLines(List<String> lines) {
        return FilesTest.upload("in.jsonl", (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), "batch")
                .then().statusCode(200).extract().path("id");
    }

    static JsonPath create(String fileId) {
        return given().contentType(ContentType.JSON).body("{\"input_file_id\":\"" + fileId + "\",\"endpoint\":"
                        + "\"/v1/embeddings\",\"completion_window\":\"24h\",\"metadata\":{\"team\":\"search\"}}")
                .post("/v1/batches").then().statusCode(200).body("object", equalTo("batch"))
                .body("status", equalTo("validating")).body("id", startsWith("batch_"))
                .body("metadata.team", equalTo("search")).extract().jsonPath();
    }

    static JsonPath awaitFinished(String id) {
        return awaitFinished(RestAssured::given, id);
    }

    /** The batch once finished, as {@code caller} sees it; two minutes at most. */
    static JsonPath awaitFinished(Supplier<RequestSpecification> caller, String id) {
        try {
            return Eventually.within(Duration.ofMinutes(2))
                    .until(() -> caller.get().get("/v1/batches/" + id).then().statusCode(200).extract().jsonPath(),
                            batch -> FINISHED.contains(batch.getString("status")));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("batch " + id + " did not finish in two minutes");
        }
    }

    /** The file's lines as JSON, by custom_id; a custom_id twice fails. */
    static Map<String, JsonNode> linesOf(String fileId) throws IOException {
        Map<String, JsonNode> lines = new HashMap<>();
        if (fileId == null) {
            return lines;
        }
        String content = given().get("/v1/files/" + fileId + "/content").then().statusCode(200).extract().asString();
        for (String text : content.split("\n")) {
            JsonNode line = JSON.readTree(text);
            String customId = line.get("custom_id").asText();
            assertThat(lines.put(customId, line)).as("custom_id %s once", customId).isNull();
        }
        return lines;
    }

    @Test
    void everyLineIsServedAsByEmbeddingsAndEndsUpOnceInTheOutputOrErrorFile() throws Exception {
        List<String> texts = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            texts.add("batch line number " + i + " about embeddings");
            lines.add(line("ok-" + i, textBody("all-minilm-l6-v2", texts.get(i))));
        }
        lines.add(line("zh", textBody("bge-small-zh-v1.5-q", "治疗感冒的药")));
        lines.add(line("no-model", textBody("no-such-model", "x")));
        lines.add(line("bad-size", "{\"model\":\"all-minilm-l6-v2\",\"input\":\"x\",\"dimensions\":9999}"));
        JsonPath created = create(uploadLines(lines));
        JsonPath done = awaitFinished(created.getString("id"));

        assertThat(done.getString("status")).isEqualTo("completed");
        assertThat(done.getInt("request_counts.total")).isEqualTo(133);
        assertThat(done.getInt("request_counts.completed")).isEqualTo(131);
        assertThat(done.getInt("request_counts.failed")).isEqualTo(2);
        assertThat(done.getLong("completed_at")).isGreaterThanOrEqualTo(done.getLong("in_progress_at"));
        Map<String, JsonNode> output = linesOf(done.getString("output_file_id"));
        Map<String, JsonNode> errors = linesOf(done.getString("error_file_id"));
        assertThat(output.keySet()).hasSize(131).doesNotContainAnyElementsOf(errors.keySet());
        assertThat(errors.keySet()).containsExactlyInAnyOrder("no-model", "bad-size");
        assertThat(errors.get("no-model").at("/response/status_code").asInt()).isEqualTo(404);
        assertThat(errors.get("no-model").at("/response/body/error/code").asText()).isEqualTo("model_not_found");
        assertThat(errors.get("bad-size").at("/response/status_code").asInt()).isEqualTo(400);
        assertThat(errors.get("bad-size").at("/response/body/error/param").asText()).isEqualTo("dimensions");

        // The very vectors /v1/embeddings gives for the same texts, in one request.
        JsonNode direct = JSON.readTree(given().contentType(ContentType.JSON)
                .body(Map.of("model", "all-minilm-l6-v2", "input", texts)).post("/v1/embeddings").then().statusCode(200)
                .extract().asString());
        for (int i = 0; i < texts.size(); i++) {
            JsonNode line = output.get("ok-" + i);
            assertThat(line.at("/response/status_code").asInt()).isEqualTo(200);
            assertThat(line.get("id").asText()).startsWith("batch_req_");
            assertThat(line.get("error").isNull()).isTrue();
            assertThat(line.at("/response/body/data/0/embedding")).isEqualTo(direct.at("/data/" + i + "/embedding"));
        }
        assertThat(output.get("zh").at("/response/body/model").asText()).isEqualTo("bge-small-zh-v1.5-q");
        assertThat(output.get("zh").at("/response/body/usage/prompt_tokens").asInt()).isPositive();
    }

    @Test
    void batchUsageIsTaggedWithTheBatchInTheLedger() throws Exception {
        List<String> lines = textLines("u-", 7, "all-minilm-l6-v2", i -> "ledger line " + i + " " + System.nanoTime());
        String id = create(uploadLines(lines)).getString("id");
        assertThat(awaitFinished(id).getString("status")).isEqualTo("completed");
        Optional<Map<String, Object>> row;
        try {
            row = Eventually.within(Duration.ofSeconds(10))
                    .until(() -> given().get("/v1/usage?group_by=batch").then().statusCode(200).extract().jsonPath()
                            .<Map<String, Object>>getList("data").stream().filter(r -> id.equals(r.get("batch"))).findFirst(),
                            Optional::isPresent);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the ledger shows no usage of batch " + id);
        }
        assertThat(((Number) row.get().get("requests")).longValue()).isEqualTo(7);
    }

    @Test
    void aFileWithBadLinesFailsTheBatchWithLineNumberedErrorsAndRunsNothing() throws Exception {
        List<String> lines = List.of(
                line("a", textBody("all-minilm-l6-v2", "fine")),
                "{not json",
                line("a", textBody("all-minilm-l6-v2", "same custom_id")),
                "{\"custom_id\":\"c\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{}}",
                "{\"custom_id\":\"d\",\"method\":\"POST\",\"url\":\"/v1/embeddings\"}",
                line("e", "{\"model\":\"all-minilm-l6-v2\",\"input\":[]}"));
        JsonPath done = awaitFinished(create(uploadLines(lines)).getString("id"));
        assertThat(done.getString("status")).isEqualTo("failed");
        assertThat(done.getLong("failed_at")).isPositive();
        assertThat(done.getString("output_file_id")).isNull();
        assertThat(done.getString("errors.object")).isEqualTo("list");
        List<Map<String, Object>> errors = done.getList("errors.data");
        assertThat(errors).extracting(e -> e.get("line")).containsExactly(2, 3, 4, 5, 6);
        assertThat(errors).extracting(e -> e.get("code")).startsWith("invalid_json_line", "duplicate_custom_id",
                "invalid_url", "missing_required_parameter");
        assertThat(errors.get(4).get("param")).isEqualTo("body.input");
        assertThat(done.getInt("request_counts.completed")).isZero();
    }

    @Test
    void errorsTooLargeToKeepWholeStillFailTheBatchWithBoundedErrors() throws Exception {
        String controlId = "\u0001".repeat(BatchInput.MAX_CUSTOM_ID);
        String longType = "q".repeat(4000);
        List<String> lines = new ArrayList<>();
        lines.add(JSON.writeValueAsString(Map.of("custom_id", controlId, "method", "POST", "url", "/v1/embeddings",
                "body", Map.of("model", "all-minilm-l6-v2", "input", "fine"))));
        // PostgreSQL's text cannot hold U+0000: a line error, not a batch stuck on its store.
        lines.add(line("nul\\u0000id", textBody("all-minilm-l6-v2", "x")));
        for (int i = 0; i < 100; i++) {
            lines.add(lines.get(0));
            lines.add(line("type-" + i, "{\"model\":\"all-minilm-l6-v2\",\"input\":\"x\",\"input_type\":\"" + longType + "\"}"));
        }
        JsonPath done = awaitFinished(create(uploadLines(lines)).getString("id"));
        assertThat(done.getString("status")).isEqualTo("failed");
        List<Map<String, Object>> errors = done.getList("errors.data");
        assertThat(errors).isNotEmpty().hasSizeLessThanOrEqualTo(BatchInput.MAX_ERRORS);
        assertThat(errors).extracting(e -> e.get("code")).contains("duplicate_custom_id");
        assertThat(errors.get(0)).containsEntry("line", 2).containsEntry("param", "custom_id");
        assertThat((String) errors.get(0).get("message")).contains("U+0000");
        assertThat(errors).allSatisfy(e -> assertThat((String) e.get("message")).hasSizeLessThanOrEqualTo(
                BatchInput.MAX_MESSAGE + 1));
        assertThat(done.getInt("request_counts.completed")).isZero();
    }

    @Test
    void metadataAtOpenAisLimitsIsKeptAsSentWhateverItsCharacters() throws Exception {
        String file = uploadLines(List.of(line("m", textBody("all-minilm-l6-v2", "m"))));
        Map<String, String> metadata = new HashMap<>();
        for (int i = 0; i < 16; i++) {
            metadata.put((char) ('a' + i) + "\u0000".repeat(63), "\u0000\u001f\n\"\\".repeat(102) + "\u0007\u0008");
        }
        Map<String, Object> request = Map.of("input_file_id", file, "endpoint", "/v1/embeddings",
                "completion_window", "24h", "metadata", metadata);
        String id = given().contentType(ContentType.JSON).body(JSON.writeValueAsString(request)).post("/v1/batches").then()
                .statusCode(200).extract().path("id");
        String stored = given().get("/v1/batches/" + id).then().statusCode(200).extract().asString();
        assertThat(JSON.convertValue(JSON.readTree(stored).get("metadata"), Map.class)).isEqualTo(metadata);
        Map<String, String> tooMany = new HashMap<>(metadata);
        tooMany.put("q", "one pair more");
        given().contentType(ContentType.JSON).body(JSON.writeValueAsString(Map.of("input_file_id", file, "endpoint",
                        "/v1/embeddings", "completion_window", "24h", "metadata", tooMany))).post("/v1/batches").then()
                .statusCode(400).body("error.param", equalTo("metadata"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=abc", "limit=-1", "limit=101", "limit=99999999999", "limit=1e3"})
    void aListsLimitOutOfRangeIsA400NamingIt(String query) {
        given().get("/v1/batches?" + query).then().statusCode(400).body("error.param", equalTo("limit"))
                .body("error.type", equalTo("invalid_request_error"));
        given().get("/v1/files?" + query.replace("101", "10001")).then().statusCode(400).body("error.param", equalTo("limit"));
    }

    @Test
    void anEmptyFileFailsTheBatch() throws Exception {
        String file = FilesTest.upload("empty.jsonl", new byte[0], "batch").then().statusCode(200).extract().path("id");
        JsonPath done = awaitFinished(create(file).getString("id"));
        assertThat(done.getString("status")).isEqualTo("failed");
        assertThat(done.getString("errors.data[0].code")).isEqualTo("empty_file");
    }

    @Test
    @Tag("slow") // bulk: a batch of 1500 lines
    void cancellingStopsTheBatchAndEveryLineIsAccountedForOnce() throws Exception {
        List<String> lines = textLines("c-", 1500, "all-minilm-l6-v2", i -> "a line that may never run, number " + i
                + " of a long batch " + System.nanoTime());
        String id = create(uploadLines(lines)).getString("id");
        try {
            Eventually.within(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> "in_progress".equals(given().get("/v1/batches/" + id).path("status")));
        } catch (ConditionTimeoutException e) {
            // Not in progress after 30 s: it is cancelled in whatever state it has reached.
        }
        given().post("/v1/batches/" + id + "/cancel").then().statusCode(200).body("status", equalTo("cancelling"))
                .body("cancelling_at", org.hamcrest.Matchers.notNullValue());
        JsonPath done = awaitFinished(id);
        assertThat(done.getString("status")).isEqualTo("cancelled");
        Map<String, JsonNode> output = linesOf(done.getString("output_file_id"));
        Map<String, JsonNode> errors = linesOf(done.getString("error_file_id"));
        assertThat(output.size() + errors.size()).isEqualTo(1500);
        assertThat(output.keySet()).doesNotContainAnyElementsOf(errors.keySet());
        assertThat(errors).isNotEmpty();
        assertThat(errors.values()).allSatisfy(e -> assertThat(e.at("/error/code").asText()).isEqualTo("batch_cancelled"));
        assertThat(done.getInt("request_counts.completed")).isEqualTo(output.size());
        assertThat(done.getInt("request_counts.failed")).isEqualTo(errors.size());
        given().post("/v1/batches/" + id + "/cancel").then().statusCode(409).body("error.type", equalTo("invalid_request_error"));
    }

    @Test
    void aBatchCancelledMidwayBillsExactlyTheLinesOfItsOutputFile() throws Exception {
        // Slow answers: when the cancel comes, chunks are in flight, and their lines are answered after it.
        for (FakeOpenAi upstream : List.of(FakeOpenAiUpstreams.A, FakeOpenAiUpstreams.B)) {
            upstream.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withTransformers(FakeOpenAi.ANSWER)
                    .withFixedDelay(600)));
        }
        try {
            List<String> lines = textLines("m-", 400, "text-embedding-3-small", i -> "cancelled midway " + i + " "
                    + System.nanoTime());
            String id = create(uploadLines(lines)).getString("id");
            Eventually.within(Duration.ofMinutes(1)).until(() -> given().get("/v1/batches/" + id)
                    .<Integer>path("request_counts.completed") >= 40);
            given().post("/v1/batches/" + id + "/cancel").then().statusCode(200);
            JsonPath done = awaitFinished(id);
            assertThat(done.getString("status")).isEqualTo("cancelled");
            Map<String, JsonNode> output = linesOf(done.getString("output_file_id"));
            Map<String, JsonNode> errors = linesOf(done.getString("error_file_id"));
            assertThat(output).isNotEmpty();
            assertThat(errors.values()).anySatisfy(e -> assertThat(e.at("/error/code").asText()).isEqualTo("batch_cancelled"));
            // The lines in flight at the cancel are answered by now; none of them may be billed.
            Thread.sleep(2_000);
            long outputTokens = output.values().stream().mapToLong(l -> l.at("/response/body/usage/prompt_tokens").asLong())
                    .sum();
            Map<String, Object> billed = batchUsage(id).orElseThrow();
            assertThat(((Number) billed.get("requests")).longValue()).as("requests billed").isEqualTo(output.size());
            assertThat(((Number) billed.get("input_tokens")).longValue()).as("tokens billed").isEqualTo(outputTokens);
        } finally {
            FakeOpenAiUpstreams.answerNormally();
        }
    }

    /** The ledger's row of one batch ({@code /v1/usage?group_by=batch}); empty when it has none. */
    static Optional<Map<String, Object>> batchUsage(String id) {
        return given().get("/v1/usage?group_by=batch").then().statusCode(200).extract().jsonPath()
                .<Map<String, Object>>getList("data").stream().filter(r -> id.equals(r.get("batch"))).findFirst();
    }

    @Test
    void upstreamRateLimitsSlowTheBatchDownInsteadOfFailingItsLines() throws Exception {
        for (FakeOpenAi upstream : List.of(FakeOpenAiUpstreams.A, FakeOpenAiUpstreams.B)) {
            upstream.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withStatus(429)
                    .withHeader("retry-after", "1")));
        }
        try {
            List<String> lines = textLines("r-", 6, "text-embedding-3-small", i -> "paced " + i + " " + System.nanoTime());
            String id = create(uploadLines(lines)).getString("id");
            double retriedBefore = retriedLines();
            Eventually.within(Duration.ofMinutes(2)).until(() -> retriedLines() >= retriedBefore + 6);
            FakeOpenAiUpstreams.answerNormally();
            JsonPath done = awaitFinished(id);
            assertThat(done.getString("status")).isEqualTo("completed");
            assertThat(done.getInt("request_counts.completed")).isEqualTo(6);
            assertThat(done.getInt("request_counts.failed")).isZero();
        } finally {
            FakeOpenAiUpstreams.answerNormally();
        }
    }

    private static double retriedLines() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("gateway_batch_lines_total{") && l.contains("outcome=\"retried\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void badBatchRequestsAreClear4xxs() {
        String file = uploadLines(List.of(line("x", textBody("all-minilm-l6-v2", "x"))));
        given().contentType(ContentType.JSON).body("{\"input_file_id\":\"" + file + "\",\"endpoint\":\"/v1/chat/completions\","
                + "\"completion_window\":\"24h\"}").post("/v1/batches").then().statusCode(400).body("error.param", equalTo("endpoint"));
        given().contentType(ContentType.JSON).body("{\"input_file_id\":\"" + file + "\",\"endpoint\":\"/v1/embeddings\","
                + "\"completion_window\":\"1h\"}").post("/v1/batches").then().statusCode(400)
                .body("error.param", equalTo("completion_window"));
        given().contentType(ContentType.JSON).body("{\"input_file_id\":\"file-nosuch\",\"endpoint\":\"/v1/embeddings\","
                + "\"completion_window\":\"24h\"}").post("/v1/batches").then().statusCode(404)
                .body("error.param", equalTo("input_file_id"));
        given().contentType(ContentType.JSON).body("{\"endpoint\":\"/v1/embeddings\",\"completion_window\":\"24h\"}")
                .post("/v1/batches").then().statusCode(400).body("error.param", equalTo("input_file_id"));
        given().contentType(ContentType.JSON).body("[1]").post("/v1/batches").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"));
        given().get("/v1/batches/batch_nosuch").then().statusCode(404);
        given().post("/v1/batches/batch_nosuch/cancel").then().statusCode(404);
        given().get("/v1/batches?limit=0").then().statusCode(400).body("error.param", equalTo("limit"));
    }

    @Test
    void listingIsNewestFirstInPages() {
        String file = uploadLines(List.of(line("x", textBody("all-minilm-l6-v2", "x"))));
        List<String> ids = List.of(1, 2, 3).stream().map(i -> create(file).getString("id")).toList();
        JsonPath first = given().get("/v1/batches?limit=2").then().statusCode(200).body("object", equalTo("list"))
                .body("has_more", equalTo(true)).extract().jsonPath();
        List<String> page = first.getList("data.id");
        assertThat(page).containsExactly(ids.get(2), ids.get(1));
        List<String> next = given().get("/v1/batches?limit=1&after=" + first.getString("last_id")).then().statusCode(200)
                .extract().jsonPath().getList("data.id");
        assertThat(next).containsExactly(ids.get(0));
        given().get("/v1/batches/" + ids.get(0)).then().statusCode(200).body("input_file_id", equalTo(file))
                .body("endpoint", equalTo("/v1/embeddings")).body("completion_window", equalTo("24h"))
                .body("errors", nullValue()).body("expires_at", org.hamcrest.Matchers.greaterThan(0));
        assertThat(ids.stream().collect(Collectors.toSet())).hasSize(3);
    }
}
