package dev.embeddinggateway.api;

import dev.embeddinggateway.testing.Embeddings;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Collections;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Every kind of bad request gets a 4xx in OpenAI's error shape, and the gateway keeps serving. */
@QuarkusTest
class BadInputTest {

    static Stream<Arguments> badBodies() {
        String tooMany = "{\"input\":[" + String.join(",", Collections.nCopies(2049, "\"a\"")) + "]}";
        String deep = "{\"input\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        return Stream.of(
                Arguments.of("malformed JSON", "{bad", 400, null, null),
                Arguments.of("empty body", "", 400, null, null),
                Arguments.of("JSON array body", "[\"a\"]", 400, null, null),
                Arguments.of("JSON string body", "\"a\"", 400, null, null),
                Arguments.of("no input", "{}", 400, "input", null),
                Arguments.of("null input", "{\"input\":null}", 400, "input", null),
                Arguments.of("empty string", "{\"input\":\"\"}", 400, "input", null),
                Arguments.of("empty array", "{\"input\":[]}", 400, "input", null),
                Arguments.of("empty string in array", "{\"input\":[\"a\",\"\"]}", 400, "input", null),
                Arguments.of("string then number", "{\"input\":[\"a\",1]}", 400, "input", null),
                Arguments.of("number then string", "{\"input\":[1,\"a\"]}", 400, "input", null),
                Arguments.of("empty token array", "{\"input\":[[1,2],[]]}", 400, "input", null),
                Arguments.of("negative token id", "{\"input\":[-1]}", 400, "input", null),
                Arguments.of("fractional token id", "{\"input\":[1.5]}", 400, "input", null),
                Arguments.of("token id past int", "{\"input\":[12345678901234567890]}", 400, "input", null),
                Arguments.of("unknown cl100k id", "{\"input\":[[1],[99999999]]}", 400, "input", null),
                Arguments.of("number input", "{\"input\":123}", 400, "input", null),
                Arguments.of("object input", "{\"input\":{\"a\":1}}", 400, "input", null),
                Arguments.of("boolean input", "{\"input\":true}", 400, "input", null),
                Arguments.of("lone surrogate", "{\"input\":\"a\\ud800b\"}", 400, "input", null),
                Arguments.of("2049 inputs", tooMany, 400, "input", null),
                Arguments.of("deep nesting", deep, 400, null, null),
                Arguments.of("huge number", "{\"input\":\"x\",\"dimensions\":1e400}", 400, "dimensions", null),
                Arguments.of("model not a string", "{\"input\":\"x\",\"model\":5}", 400, "model", null),
                Arguments.of("unknown model", "{\"input\":\"x\",\"model\":\"nope\"}", 404, "model", "model_not_found"),
                Arguments.of("unknown encoding", "{\"input\":\"x\",\"encoding_format\":\"int4\"}", 400, "encoding_format", null),
                Arguments.of("zero dimensions", "{\"input\":\"x\",\"dimensions\":0}", 400, "dimensions", null),
                Arguments.of("dimensions as string", "{\"input\":\"x\",\"dimensions\":\"64\"}", 400, "dimensions", null),
                Arguments.of("user not a string", "{\"input\":\"x\",\"user\":7}", 400, "user", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badBodyIsAClearClientError(String what, String body, int status, String param, String code) {
        Response response = Embeddings.post(body);
        assertOpenAiError(response, status);
        response.then().body("error.param", equalTo(param)).body("error.code", equalTo(code));
    }

    @Test
    void unknownUrl() {
        assertOpenAiError(given().get("/v1/nothing-here"), 404);
    }

    @Test
    void aChunkedBodyPastTheLimitIsRefusedInOpenAisShape() throws Exception {
        // No Content-Length: the body is chunked, and the limit is met only while it is read (the tests' is 1M).
        byte[] body = ("{\"input\":\"" + "a".repeat(2_000_000) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.net.http.HttpResponse<String> refused = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(io.restassured.RestAssured.baseURI + ":"
                                + io.restassured.RestAssured.port + "/v1/embeddings"))
                        .header("content-type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).contains("\"type\":\"invalid_request_error\"").contains("larger than this gateway takes");
    }

    @Test
    void anUndecodableUrlIsA400InOpenAisShape() throws Exception {
        // No HTTP client of Java's sends such a URL: written by hand.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.getOutputStream().write("GET /v1/models/a%ZZb HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("\"type\":\"invalid_request_error\"")
                    .contains("cannot be decoded");
        }
    }

    @Test
    void wrongMethodSaysWhichMethodsTheUrlTakes() {
        assertOpenAiError(given().get("/v1/embeddings"), 405).then().header("Allow", containsString("POST"));
        assertOpenAiError(given().delete("/v1/models"), 405).then().header("Allow", containsString("GET"));
    }

    @Test
    void aNegativeTokenIdIsNamedAsSuch() {
        assertOpenAiError(Embeddings.post("{\"input\": [[5, -3]]}"), 400).then()
                .body("error.message", containsString("item 1 is -3, a negative number"));
    }

    @Test
    void unknownModelById() {
        assertOpenAiError(given().get("/v1/models/nope"), 404);
    }

    @Test
    void bodyOverTheLimit() {
        // The tests' gateway.max-body-size is 1M.
        String body = "{\"input\":\"" + "a".repeat(1_100_000) + "\"}";
        assertOpenAiError(given().contentType(ContentType.JSON).body(body).post("/v1/embeddings"), 413);
    }

    @Test
    void errorsCarryTheRequestId() {
        given().header("x-request-id", "req-42").body("{bad").post("/v1/embeddings")
                .then().statusCode(400).header("x-request-id", "req-42");
    }

    @AfterEach
    void gatewayStillServes() {
        Embeddings.post(Map.of("input", "still here")).then().statusCode(200);
    }

    private static Response assertOpenAiError(Response response, int status) {
        response.then().statusCode(status).contentType(ContentType.JSON);
        Map<String, Object> error = response.jsonPath().getMap("error");
        assertThat(error).containsOnlyKeys("message", "type", "param", "code");
        assertThat((String) error.get("message")).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(error.get("type")).isEqualTo("invalid_request_error");
        return response;
    }
}
