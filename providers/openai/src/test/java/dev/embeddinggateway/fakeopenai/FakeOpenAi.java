package dev.embeddinggateway.fakeopenai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import dev.embeddinggateway.core.support.Cl100k;
import dev.embeddinggateway.core.support.Vectors;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * OpenAI's embeddings API faked at the HTTP level (WireMock): {@code POST /v1/embeddings} answers with
 * vectors computed from each input ({@link #vectorOf}), honouring {@code dimensions} and
 * {@code encoding_format} as OpenAI does. Error and delay scenarios are stubbed on {@link #server()}.
 */
public final class FakeOpenAi implements AutoCloseable {
    public static final String EMBEDDINGS = "/v1/embeddings";
    public static final String MODELS = "/v1/models";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Integer> NATIVE_DIMENSIONS = Map.of(
            "text-embedding-3-small", 1536, "text-embedding-3-large", 3072, "text-embedding-ada-002", 1536);
    /** The size of any other model's vectors. */
    public static final int OTHER_MODEL_DIMENSIONS = 8;

    /** The transformer that answers embeddings calls, for a test's own stubs. */
    public static final String ANSWER = "openai-embeddings";

    private final WireMockServer server = new WireMockServer(options().dynamicPort()
            .extensions(new JsonAnswer(ANSWER, FakeOpenAi::embeddings)));

    public FakeOpenAi() {
        server.start();
        answerEmbeddings();
    }

    /** Back to answering every embeddings call successfully (after a test's own stubs), and listing the models. */
    public void answerEmbeddings() {
        server.resetAll();
        server.stubFor(post(EMBEDDINGS).willReturn(aResponse().withTransformers(ANSWER)));
        server.stubFor(get(MODELS).willReturn(aResponse().withHeader("content-type", "application/json")
                .withBody("{\"object\":\"list\",\"data\":[{\"id\":\"text-embedding-3-small\",\"object\":\"model\","
                        + "\"created\":0,\"owned_by\":\"openai\"}]}")));
    }

    public WireMockServer server() {
        return server;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    public int calls() {
        return server.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(EMBEDDINGS))).size();
    }

    public static int nativeDimensions(String model) {
        return NATIVE_DIMENSIONS.getOrDefault(model, OTHER_MODEL_DIMENSIONS);
    }

    /** The fake model's vector of a text: its code points counted by {@code codePoint % dims}, normalized. */
    public static float[] vectorOf(String text, int dims) {
        float[] v = new float[dims];
        text.codePoints().forEach(cp -> v[cp % dims] += 1);
        return Vectors.normalize(v);
    }

    /** The same for token-id input: ids counted by {@code id % dims}. */
    public static float[] vectorOf(int[] ids, int dims) {
        float[] v = new float[dims];
        for (int id : ids) {
            v[id % dims] += 1;
        }
        return Vectors.normalize(v);
    }

    @Override
    public void close() {
        server.stop();
    }

    /** OpenAI's embeddings response to a request body; the stub's delay and headers stay. */
    private static ResponseDefinitionBuilder embeddings(JsonNode request, ResponseDefinition stub) {
        String model = request.path("model").asText();
        int dims = request.has("dimensions") ? request.get("dimensions").asInt() : nativeDimensions(model);
        boolean base64 = "base64".equals(request.path("encoding_format").asText());
        JsonNode input = request.get("input");
        ArrayNode inputs = input.isArray() && !(input.size() > 0 && input.get(0).isInt())
                ? (ArrayNode) input : JSON.createArrayNode().add(input);
        ObjectNode response = JSON.createObjectNode().put("object", "list").put("model", model);
        ArrayNode data = response.putArray("data");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            JsonNode item = inputs.get(i);
            float[] v;
            if (item.isTextual()) {
                v = vectorOf(item.asText(), dims);
                tokens += Cl100k.encode(item.asText()).length; // as OpenAI counts
            } else {
                int[] ids = new int[item.size()];
                for (int t = 0; t < ids.length; t++) {
                    ids[t] = item.get(t).asInt();
                }
                v = vectorOf(ids, dims);
                tokens += ids.length;
            }
            ObjectNode entry = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                entry.put("embedding", Vectors.toBase64(v));
            } else {
                ArrayNode floats = entry.putArray("embedding");
                for (float x : v) {
                    floats.add(x);
                }
            }
        }
        response.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return ResponseDefinitionBuilder.like(stub).but().withStatus(200)
                .withHeader("content-type", "application/json").withBody(response.toString());
    }
}
