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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A Hugging Face TEI server and an Ollama server, faked at the HTTP level as their documentation defines
 * their APIs. Their "tokenizer" splits on spaces (TEI adds [CLS] and [SEP]); their vectors are the fake
 * OpenAI's, so a TEI and an OpenAI-compatible server of the same model give the same vectors.
 */
public class FakeSelfHostedServers implements QuarkusTestResourceLifecycleManager {
    /** TEI's model, also the OpenAI-compatible fake's unknown-model size: the same embedding space. */
    public static final String TEI_MODEL = "fake-model";
    public static final int DIMENSIONS = FakeOpenAi.OTHER_MODEL_DIMENSIONS;
    public static final int TEI_MAX_INPUT = 16;
    public static final int TEI_MAX_BATCH = 4;
    public static final String OLLAMA_MODEL = "nomic-embed-text";
    /** The prompts of TEI's model's sentence-transformers config, by name: TEI puts one before each input when asked. */
    public static final Map<String, String> TEI_PROMPTS = Map.of("query", "query: ", "passage", "passage: ");
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final WireMockServer TEI = new WireMockServer(options().dynamicPort().extensions(
            new JsonAnswer("tei-embed", (request, stub) -> teiEmbed(request)),
            new JsonAnswer("tei-tokenize", (request, stub) -> teiTokenize(request))));
    public static final WireMockServer OLLAMA = new WireMockServer(options().dynamicPort().extensions(
            new JsonAnswer("ollama-embed", (request, stub) -> ollamaEmbed(request))));
    public static final FakeOpenAi OPENAI_COMPATIBLE = new FakeOpenAi();

    @Override
    public Map<String, String> start() {
        TEI.start();
        OLLAMA.start();
        answerNormally();
        return Map.of("fake-tei.url", TEI.baseUrl(), "fake-ollama.url", OLLAMA.baseUrl(),
                "fake-openai-compatible.url", OPENAI_COMPATIBLE.baseUrl());
    }

    @Override
    public void stop() {
        TEI.stop();
        OLLAMA.stop();
        OPENAI_COMPATIBLE.close();
    }

    public static void answerNormally() {
        TEI.resetAll();
        TEI.stubFor(get("/info").willReturn(okJson("{\"model_id\":\"" + TEI_MODEL + "\",\"model_sha\":null,"
                + "\"model_dtype\":\"float32\",\"model_type\":{\"embedding\":{\"pooling\":\"mean\"}},"
                + "\"max_concurrent_requests\":512,\"max_input_length\":" + TEI_MAX_INPUT + ",\"max_batch_tokens\":16384,"
                + "\"max_client_batch_size\":" + TEI_MAX_BATCH + ",\"auto_truncate\":false,\"version\":\"1.7.0\"}")));
        TEI.stubFor(post("/embed").willReturn(aResponse().withTransformers("tei-embed")));
        TEI.stubFor(post("/tokenize").willReturn(aResponse().withTransformers("tei-tokenize")));
        TEI.stubFor(get("/health").willReturn(aResponse().withStatus(200)));
        OLLAMA.resetAll();
        OLLAMA.stubFor(post("/api/show").willReturn(aResponse().withStatus(404)
                .withBody("{\"error\":\"model 'unknown' not found\"}")));
        OLLAMA.stubFor(post("/api/show").withRequestBody(com.github.tomakehurst.wiremock.client.WireMock
                .matchingJsonPath("$.model", com.github.tomakehurst.wiremock.client.WireMock.equalTo(OLLAMA_MODEL)))
                .willReturn(okJson("{\"license\":\"...\",\"details\":{\"family\":\"nomic-bert\"},\"model_info\":{"
                        + "\"general.architecture\":\"nomic-bert\",\"nomic-bert.context_length\":2048,"
                        + "\"nomic-bert.embedding_length\":" + DIMENSIONS + "},\"capabilities\":[\"embedding\"]}")));
        OLLAMA.stubFor(post("/api/embed").willReturn(aResponse().withTransformers("ollama-embed")));
        OLLAMA.stubFor(get("/api/version").willReturn(okJson("{\"version\":\"0.12.6\"}")));
        OPENAI_COMPATIBLE.answerEmbeddings();
    }

    /** The fake tokenizer: words, plus [CLS] and [SEP]. */
    public static int teiTokens(String text) {
        return words(text).size() + 2;
    }

    /** What TEI embeds of a text it truncates: the words that fit beside [CLS] and [SEP]. */
    public static String teiTruncated(String text) {
        List<String> words = words(text);
        return String.join(" ", words.subList(0, Math.min(words.size(), TEI_MAX_INPUT - 2)));
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    private static List<String> inputs(JsonNode node) {
        List<String> texts = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> texts.add(n.asText()));
        } else {
            texts.add(node.asText());
        }
        return texts;
    }

    /** The inputs with the prompt that {@code prompt_name} names before each; null for an unknown name. */
    private static List<String> prompted(JsonNode request) {
        String name = request.path("prompt_name").textValue();
        if (name != null && !TEI_PROMPTS.containsKey(name)) {
            return null;
        }
        String prompt = name == null ? "" : TEI_PROMPTS.get(name);
        return inputs(request.get("inputs")).stream().map(t -> prompt + t).toList();
    }

    private static ResponseDefinitionBuilder unknownPrompt(JsonNode request) {
        return error(422, "Input validation error: prompt_name `" + request.path("prompt_name").asText()
                + "` is not in the prompts", "Validation");
    }

    private static ResponseDefinitionBuilder teiEmbed(JsonNode request) {
        List<String> texts = prompted(request);
        if (texts == null) {
            return unknownPrompt(request);
        }
        if (texts.size() > TEI_MAX_BATCH) {
            return error(413, "batch size " + texts.size() + " > maximum allowed batch size " + TEI_MAX_BATCH, "Validation");
        }
        ArrayNode vectors = JSON.createArrayNode();
        for (String text : texts) {
            if (teiTokens(text) > TEI_MAX_INPUT && !request.path("truncate").asBoolean(false)) {
                return error(413, "Input validation error: `inputs` must have less than " + TEI_MAX_INPUT
                        + " tokens. Given: " + teiTokens(text), "Validation");
            }
            ArrayNode vector = vectors.addArray();
            for (float x : FakeOpenAi.vectorOf(teiTruncated(text), DIMENSIONS)) {
                vector.add(x);
            }
        }
        return aResponse().withStatus(200).withHeader("content-type", "application/json").withBody(vectors.toString());
    }

    /** As TEI answers: [CLS], each word with its byte offsets in the (prompted) text, [SEP]. */
    private static ResponseDefinitionBuilder teiTokenize(JsonNode request) {
        List<String> texts = prompted(request);
        if (texts == null) {
            return unknownPrompt(request);
        }
        ArrayNode all = JSON.createArrayNode();
        for (String text : texts) {
            ArrayNode tokens = all.addArray();
            tokens.addObject().put("id", 101).put("text", "[CLS]").put("special", true).putNull("start").putNull("stop");
            Matcher word = Pattern.compile("\\S+").matcher(text);
            for (int id = 1000; word.find(); id++) {
                int start = text.substring(0, word.start()).getBytes(StandardCharsets.UTF_8).length;
                tokens.addObject().put("id", id).put("text", word.group()).put("special", false).put("start", start)
                        .put("stop", start + word.group().getBytes(StandardCharsets.UTF_8).length);
            }
            tokens.addObject().put("id", 102).put("text", "[SEP]").put("special", true).putNull("start").putNull("stop");
        }
        return aResponse().withStatus(200).withHeader("content-type", "application/json").withBody(all.toString());
    }

    private static ResponseDefinitionBuilder ollamaEmbed(JsonNode request) {
        if (!OLLAMA_MODEL.equals(request.path("model").asText())) {
            return aResponse().withStatus(404).withBody("{\"error\":\"model \\\"" + request.path("model").asText()
                    + "\\\" not found, try pulling it first\"}");
        }
        ObjectNode response = JSON.createObjectNode().put("model", OLLAMA_MODEL);
        ArrayNode embeddings = response.putArray("embeddings");
        int tokens = 0;
        for (String text : inputs(request.get("input"))) {
            ArrayNode vector = embeddings.addArray();
            for (float x : FakeOpenAi.vectorOf(text, DIMENSIONS)) {
                vector.add(x);
            }
            tokens += words(text).size();
        }
        response.put("total_duration", 14143917).put("load_duration", 1019500).put("prompt_eval_count", tokens);
        return aResponse().withStatus(200).withHeader("content-type", "application/json").withBody(response.toString());
    }

    private static ResponseDefinitionBuilder error(int status, String message, String type) {
        return aResponse().withStatus(status).withHeader("content-type", "application/json")
                .withBody(JSON.createObjectNode().put("error", message).put("error_type", type).toString());
    }
}
