package dev.embeddinggateway.api;

import dev.embeddinggateway.golden.Golden;
import dev.embeddinggateway.testing.Embeddings;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.embeddinggateway.testing.Embeddings.body;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** {@code input_type}: the model's prompt before the text, counted, cached apart, and listed in /v1/models. */
@QuarkusTest
class InputTypesTest {
    private static final String BGE = "bge-small-zh-v1.5-q";
    private static final String BGE_QUERY_PROMPT = "为这个句子生成表示以用于检索相关文章：";

    /** The model's vector of {@code text} as {@code inputType} ({@code null}: none named), computed past the cache. */
    private static float[] vector(String model, String text, String inputType) {
        return Embeddings.vector(Embeddings.postUncached(body(model, List.of(text), "input_type", inputType)).then()
                .statusCode(200).extract().response(), 0);
    }

    /** The tokens of {@code text} as {@code inputType}, computed past the cache. */
    private static int tokens(String model, String text, String inputType) {
        return Embeddings.postUncached(body(model, List.of(text), "input_type", inputType)).then().statusCode(200)
                .extract().path("usage.prompt_tokens");
    }

    /** {@code text} as {@code inputType}, through the cache. */
    private static Response throughTheCache(String text, String inputType) {
        return Embeddings.post(body(BGE, List.of(text), "input_type", inputType)).then().statusCode(200).extract().response();
    }

    @Test
    void aBgeQueryIsTheInstructionAndTheTextEmbeddedPlainly() {
        String text = "治疗感冒的药";
        float[] query = vector(BGE, text, "query");
        assertThat(Golden.cosine(query, vector(BGE, BGE_QUERY_PROMPT + text, null))).isGreaterThanOrEqualTo(0.9999);
        // A document has no prompt: it is the text itself, and another vector than the query's.
        float[] document = vector(BGE, text, "document");
        assertThat(Golden.cosine(document, vector(BGE, text, null))).isGreaterThanOrEqualTo(0.9999);
        assertThat(Golden.cosine(query, document)).isLessThan(0.99);
    }

    @Test
    void thePromptsTokensAreCountedInUsage() {
        String text = "缓解伤风症状的药物";
        int plain = tokens(BGE, text, null);
        int withPrompt = tokens(BGE, BGE_QUERY_PROMPT + text, null);
        assertThat(withPrompt).isGreaterThan(plain);
        assertThat(tokens(BGE, text, "query")).isEqualTo(withPrompt);
    }

    @Test
    void aModelWithoutPromptsTakesQueryAndDocumentAsTheTextItself() {
        String text = "The quick brown fox jumps over the lazy dog.";
        float[] plain = vector("all-minilm-l6-v2", text, null);
        assertThat(Golden.cosine(vector("all-minilm-l6-v2", text, "query"), plain)).isGreaterThanOrEqualTo(0.9999);
        assertThat(Golden.cosine(vector("all-minilm-l6-v2", text, "document"), plain)).isGreaterThanOrEqualTo(0.9999);
    }

    @Test
    void configuredPromptsAndDefaultApplyToAModelOfNoPromptsOfItsOwn() {
        String text = "how much protein does a female adult need";
        assertThat(Golden.cosine(vector("minilm-e5", text, "query"), vector("all-minilm-l6-v2", "query: " + text, null)))
                .isGreaterThanOrEqualTo(0.9999);
        // default-input-type=document: a request naming none is a document.
        assertThat(Golden.cosine(vector("minilm-e5", text, null), vector("all-minilm-l6-v2", "passage: " + text, null)))
                .isGreaterThanOrEqualTo(0.9999);
    }

    @Test
    void aTypeTheModelLacksOrAnUnknownTypeIsA400NamingInputType() {
        Embeddings.post(Map.of("model", "all-minilm-l6-v2", "input", "x", "input_type", "classification")).then().statusCode(400)
                .body("error.param", equalTo("input_type")).body("error.message", containsString("query, document"));
        Embeddings.post(Map.of("input", "x", "input_type", "search_query")).then().statusCode(400)
                .body("error.param", equalTo("input_type")).body("error.type", equalTo("invalid_request_error"));
        Embeddings.post(Map.of("input", "x", "input_type", 7)).then().statusCode(400).body("error.param", equalTo("input_type"));
        Embeddings.post(Map.of("input", "x")).then().statusCode(200);
    }

    @Test
    void aQueryAndADocumentOfOneTextNeverShareACachedVector() {
        String text = "退烧药多久起效 " + UUID.randomUUID();
        Response document = throughTheCache(text, "document");
        assertThat(document.getHeader("x-cache-misses")).isEqualTo("1");
        Response query = throughTheCache(text, "query");
        assertThat(query.getHeader("x-cache-misses")).isEqualTo("1");
        Response queryAgain = throughTheCache(text, "query");
        assertThat(queryAgain.getHeader("x-cache-hits")).isEqualTo("1");
        assertThat(Embeddings.vectors(queryAgain)[0]).isEqualTo(Embeddings.vectors(query)[0]);
        assertThat(Golden.cosine(Embeddings.vectors(query)[0], Embeddings.vectors(document)[0])).isLessThan(0.99);
    }

    @Test
    void modelsListTheirInputTypesAndPrompts() {
        given().get("/v1/models/" + BGE).then().statusCode(200)
                .body("input_types", contains("query", "document"))
                .body("prompts.query", equalTo(BGE_QUERY_PROMPT))
                .body("default_input_type", nullValue());
        given().get("/v1/models/minilm-e5").then().statusCode(200)
                .body("default_input_type", equalTo("document"))
                .body("prompts.document", equalTo("passage: "));
        given().get("/v1/models/all-minilm-l6-v2").then().statusCode(200).body("prompts.size()", equalTo(0));
    }
}
