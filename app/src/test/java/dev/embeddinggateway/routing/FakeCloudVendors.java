package dev.embeddinggateway.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.embeddinggateway.fakeopenai.FakeOpenAi;
import dev.embeddinggateway.fakeopenai.JsonAnswer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * Cohere, Voyage AI, Jina AI, Google's Gemini API and AWS Bedrock, faked at the HTTP level as their API references
 * define them.
 * Each embeds "<its input type>|<text>" with the fake OpenAI's vector function (so a test can tell which type was
 * sent), at the size asked or the model's own, and counts tokens as words (their "tokenizer"). Gemini's smaller
 * vectors come unnormalized, as Google's do.
 */
public class FakeCloudVendors implements QuarkusTestResourceLifecycleManager {
    public static final String KEY = "sk-vendor-test-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, Integer> SIZES = Map.of("embed-v4.0", 1536, "voyage-3.5", 1024, "jina-embeddings-v3", 1024,
            "gemini-embedding-001", 3072);

    public static final WireMockServer COHERE = new WireMockServer(options().dynamicPort()
            .extensions(new JsonAnswer("cohere", (request, stub) -> cohere(request))));
    public static final WireMockServer VOYAGE = new WireMockServer(options().dynamicPort()
            .extensions(new JsonAnswer("voyage", (request, stub) -> openAiShaped(request, "input", "input_type", "output_dimension"))));
    public static final WireMockServer JINA = new WireMockServer(options().dynamicPort()
            .extensions(new JsonAnswer("jina", (request, stub) -> openAiShaped(request, "input", "task", "dimensions"))));
    public static final WireMockServer GEMINI = new WireMockServer(options().dynamicPort()
            .extensions(new JsonAnswer("gemini", (request, stub) -> gemini(request))));
    public static final WireMockServer BEDROCK = new WireMockServer(options().dynamicPort()
            .extensions(new JsonAnswer("bedrock", (request, stub) -> bedrock(request))));
    private static final List<WireMockServer> ALL = List.of(COHERE, VOYAGE, JINA, GEMINI, BEDROCK);

    @Override
    public Map<String, String> start() {
        ALL.forEach(WireMockServer::start);
        answerNormally();
        return Map.of("fake-cohere.url", COHERE.baseUrl(), "fake-voyage.url", VOYAGE.baseUrl(),
                "fake-jina.url", JINA.baseUrl(), "fake-gemini.url", GEMINI.baseUrl(), "fake-bedrock.url", BEDROCK.baseUrl());
    }

    @Override
    public void stop() {
        ALL.forEach(WireMockServer::stop);
    }

    public static void answerNormally() {
        answer(COHERE, "/v2/embed", "cohere");
        answer(VOYAGE, "/embeddings", "voyage");
        answer(JINA, "/embeddings", "jina");
        answer(GEMINI, "/models/.*:batchEmbedContents", "gemini");
        answer(BEDROCK, "/model/.*/invoke", "bedrock");
    }

    private static void answer(WireMockServer server, String path, String transformer) {
        server.resetAll();
        server.stubFor(post(urlPathMatching(path)).willReturn(aResponse().withTransformers(transformer)));
    }

    /** The fake vector of one text under an input type (null: none) at {@code dims}. */
    public static float[] vectorOf(String inputType, String text, int dims) {
        return FakeOpenAi.vectorOf(inputType + "|" + text, dims);
    }

    /** The vendors' fake token count: words. */
    public static int tokens(String text) {
        return (int) Arrays.stream(text.trim().split("\\s+")).filter(w -> !w.isEmpty()).count();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }

    private static int size(JsonNode request, String model, String field) {
        return request.hasNonNull(field) ? request.get(field).asInt() : SIZES.get(model);
    }

    private static ResponseDefinitionBuilder json(Object body) {
        return aResponse().withStatus(200).withHeader("content-type", "application/json").withBody(body.toString());
    }

    /** Cohere v2: texts, a required input_type, embedding_types; 96 texts at most; billed input tokens. */
    private static ResponseDefinitionBuilder cohere(JsonNode request) {
        List<String> texts = texts(request.path("texts"));
        if (texts.size() > 96 || !request.hasNonNull("input_type")) {
            return aResponse().withStatus(400).withHeader("content-type", "application/json")
                    .withBody("{\"id\":\"x\",\"message\":\"invalid request: " + (texts.size() > 96
                            ? "total number of texts must be at most 96" : "input_type is required") + "\"}");
        }
        int dims = size(request, request.path("model").asText(), "output_dimension");
        ObjectNode answer = JSON.createObjectNode().put("id", "emb-1").put("response_type", "embeddings_by_type");
        ArrayNode floats = answer.putObject("embeddings").putArray("float");
        int tokens = 0;
        for (String text : texts) {
            vector(floats.addArray(), vectorOf(request.get("input_type").asText(), text, dims), 1);
            tokens += tokens(text);
        }
        answer.putObject("meta").putObject("billed_units").put("input_tokens", tokens);
        return json(answer);
    }

    /** Voyage's and Jina's shape: data items with their index (answered in reverse order), usage.total_tokens. */
    private static ResponseDefinitionBuilder openAiShaped(JsonNode request, String inputField, String typeField, String sizeField) {
        List<String> texts = texts(request.path(inputField));
        int dims = size(request, request.path("model").asText(), sizeField);
        ObjectNode answer = JSON.createObjectNode().put("object", "list").put("model", request.path("model").asText());
        ArrayNode data = answer.putArray("data");
        int tokens = 0;
        for (int i = texts.size() - 1; i >= 0; i--) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            vector(item.putArray("embedding"), vectorOf(request.path(typeField).asText(null), texts.get(i), dims), 1);
            tokens += tokens(texts.get(i));
        }
        answer.putObject("usage").put("total_tokens", tokens);
        return json(answer);
    }

    /** Gemini: requests of one text each, 100 at most; vectors under 3072 dimensions are not normalized. */
    private static ResponseDefinitionBuilder gemini(JsonNode request) {
        JsonNode requests = request.path("requests");
        if (requests.size() > 100) {
            return aResponse().withStatus(400).withHeader("content-type", "application/json").withBody(
                    "{\"error\":{\"code\":400,\"message\":\"* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch\",\"status\":\"INVALID_ARGUMENT\"}}");
        }
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode embeddings = answer.putArray("embeddings");
        for (JsonNode one : requests) {
            int dims = one.hasNonNull("outputDimensionality") ? one.get("outputDimensionality").asInt() : 3072;
            vector(embeddings.addObject().putArray("values"), vectorOf(one.path("taskType").asText(null),
                    one.path("content").path("parts").get(0).path("text").asText(), dims), dims < 3072 ? 3 : 1);
        }
        return json(answer);
    }

    /**
     * Bedrock's InvokeModel: Titan's body (one inputText; its size and token count answered) or Cohere's (texts and
     * input_type, 96 at most, no count), errors as AWS JSON with their type in {@code x-amzn-ErrorType}.
     */
    private static ResponseDefinitionBuilder bedrock(JsonNode request) {
        ObjectNode answer = JSON.createObjectNode();
        if (request.has("inputText")) {
            String text = request.get("inputText").asText();
            vector(answer.putArray("embedding"), vectorOf("titan", text, request.path("dimensions").asInt(1024)), 1);
            return json(answer.put("inputTextTokenCount", tokens(text)));
        }
        List<String> texts = texts(request.path("texts"));
        if (texts.size() > 96) {
            return awsError(400, "ValidationException", "Malformed input request: expected maxItems: 96");
        }
        ArrayNode embeddings = answer.put("id", "b-1").put("response_type", "embeddings_floats").putArray("embeddings");
        texts.forEach(text -> vector(embeddings.addArray(), vectorOf(request.path("input_type").asText(), text, 1024), 1));
        return json(answer);
    }

    public static ResponseDefinitionBuilder awsError(int status, String type, String message) {
        return aResponse().withStatus(status).withHeader("content-type", "application/json")
                .withHeader("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
                .withBody("{\"message\":\"" + message + "\"}");
    }

    private static void vector(ArrayNode into, float[] v, float scale) {
        for (float x : v) {
            into.add(x * scale);
        }
    }
}
