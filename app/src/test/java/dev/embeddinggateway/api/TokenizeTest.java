package dev.embeddinggateway.api;

import dev.embeddinggateway.testing.Embeddings;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** {@code POST /v1/tokenize}: the counts of the embeddings call, with ids and places in the client's text. */
@QuarkusTest
class TokenizeTest {

    static Response tokenize(Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/tokenize");
    }

    private static Map<String, Object> body(String model, Object input, Object... more) {
        Map<String, Object> body = new HashMap<>(Map.of("model", model, "input", input));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    /** The substring each token's offsets point at in {@code text}, by code points; null for a token of none. */
    static List<String> pieces(Response response, int index, String text) {
        List<List<Integer>> offsets = response.jsonPath().getList("data[" + index + "].offsets");
        int[] codePoints = text.codePoints().toArray();
        return offsets.stream().map(o -> o == null ? null : new String(codePoints, o.get(0), o.get(1) - o.get(0))).toList();
    }

    @Test
    void countsAreTheEmbeddingsCallsCountsPromptIncluded() {
        List<String> texts = List.of("治疗感冒的药", "如何更换汽车轮胎");
        for (String inputType : new String[]{null, "query"}) {
            Map<String, Object> embedBody = body("bge-small-zh-v1.5-q", texts);
            if (inputType != null) {
                embedBody.put("input_type", inputType);
            }
            int used = Embeddings.postUncached(embedBody).then().statusCode(200).extract().path("usage.prompt_tokens");
            Response counted = tokenize(embedBody).then().statusCode(200)
                    .body("model", equalTo("bge-small-zh-v1.5-q")).body("max_input_tokens", equalTo(512))
                    .body("data[0].object", equalTo("tokenization")).body("data[0].estimated", equalTo(false))
                    .extract().response();
            assertThat(counted.jsonPath().getList("data.tokens", Integer.class).stream().mapToInt(i -> i).sum())
                    .as("input_type " + inputType).isEqualTo(used);
        }
    }

    @Test
    void idsAndOffsetsPointIntoTheClientsOwnText() {
        String text = "Tokenizers split words like antidisestablishmentarianism";
        Response response = tokenize(body("all-minilm-l6-v2", text, "return_ids", true, "return_offsets", true))
                .then().statusCode(200).extract().response();
        List<Integer> ids = response.jsonPath().getList("data[0].ids", Integer.class);
        assertThat(ids).hasSize(response.jsonPath().getInt("data[0].tokens")).startsWith(101).endsWith(102);
        List<String> pieces = pieces(response, 0, text);
        assertThat(pieces.get(0)).isNull(); // [CLS]
        assertThat(pieces.get(pieces.size() - 1)).isNull(); // [SEP]
        assertThat(String.join("", pieces.subList(1, pieces.size() - 1)).toLowerCase())
                .isEqualTo(text.replace(" ", "").toLowerCase());
    }

    @Test
    void offsetsOfAPromptedInputStartAtTheClientsFirstCharacter() {
        String text = "退烧药 😀 多久起效";
        Response response = tokenize(body("bge-small-zh-v1.5-q", text, "input_type", "query", "return_offsets", true))
                .then().statusCode(200).extract().response();
        List<String> pieces = pieces(response, 0, text).stream().filter(p -> p != null).toList();
        assertThat(pieces.get(0)).isEqualTo("退");
        assertThat(String.join("", pieces)).isEqualTo(text.replace(" ", ""));
    }

    @Test
    void saysWhatTheModelWouldCut() {
        String longText = "word ".repeat(300);
        tokenize(body("all-minilm-l6-v2", List.of("short", longText))).then().statusCode(200)
                .body("max_input_tokens", equalTo(256)).body("long_input", equalTo("truncate"))
                .body("data[0].truncated", equalTo(false)).body("data[1].truncated", equalTo(true))
                .body("data[1].tokens", equalTo(302));
        tokenize(body("minilm-strict", longText)).then().statusCode(200)
                .body("long_input", equalTo("error")).body("data[0].truncated", equalTo(false));
    }

    @Test
    void openAiModelsCountWithCl100kExactly() {
        Response response = tokenize(body("text-embedding-3-small", "hello world", "return_ids", true, "return_offsets", true))
                .then().statusCode(200).body("data[0].estimated", equalTo(false)).body("max_input_tokens", equalTo(8191))
                .extract().response();
        assertThat(response.jsonPath().getList("data[0].ids", Integer.class)).containsExactly(15339, 1917);
        assertThat(pieces(response, 0, "hello world")).containsExactly("hello", " world");
    }

    @Test
    void badRequestsAreOpenAiShaped400sAndUnknownModels404() {
        tokenize(Map.of("model", "all-minilm-l6-v2")).then().statusCode(400).body("error.param", equalTo("input"));
        tokenize(body("all-minilm-l6-v2", "x", "return_ids", "yes")).then().statusCode(400)
                .body("error.param", equalTo("return_ids"));
        tokenize(body("all-minilm-l6-v2", "x", "input_type", "classification")).then().statusCode(400)
                .body("error.param", equalTo("input_type"));
        tokenize(body("no-such-model", "x")).then().statusCode(404).body("error.code", equalTo("model_not_found"));
        given().contentType(ContentType.JSON).body("{not json").post("/v1/tokenize").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"));
        tokenize(body("all-minilm-l6-v2", "x")).then().statusCode(200);
    }

    @Test
    void aRequestPastTheTokensOfOneAnswerIsRefused() {
        // Past the tokens of one answer: refused without the answer (the characters: TokenizeLimitsTest).
        String manyTokens = "a ".repeat(TokenizeResource.MAX_TOKENS / 2 + 1) + "b ".repeat(TokenizeResource.MAX_TOKENS / 2);
        tokenize(body("all-minilm-l6-v2", List.of(manyTokens), "return_offsets", true)).then().statusCode(400)
                .body("error.param", equalTo("input"))
                .body("error.message", org.hamcrest.Matchers.containsString("at most 300000 tokens"));
    }
}
