package dev.embeddinggateway.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.embeddinggateway.core.BadInputException;
import dev.embeddinggateway.core.InputTypes;
import dev.embeddinggateway.core.ProviderException;
import dev.embeddinggateway.core.ProviderFailedException;
import dev.embeddinggateway.core.ProviderFailedException.Reason;
import dev.embeddinggateway.core.support.DaemonThreads;
import dev.embeddinggateway.provider.cohere.CohereInputTypes;
import dev.embeddinggateway.provider.rest.CloudEmbeddingProvider;
import dev.embeddinggateway.provider.rest.RestUpstream;
import dev.embeddinggateway.provider.rest.VendorModel;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * AWS Bedrock's {@code InvokeModel} through the AWS SDK (SigV4, regions, the credential chain): Amazon Titan Text
 * Embeddings (one text a call, {@code dimensions} and {@code normalize}, usage from {@code inputTextTokenCount}) and
 * Cohere's models on Bedrock (96 texts a call, {@code input_type}; no token count: the cl100k_base estimate). The
 * SDK's client blocks, so calls run on a pool of {@code max-concurrency} threads of this provider's own.
 */
final class BedrockEmbeddingProvider extends CloudEmbeddingProvider {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String TITAN_V2 = "amazon.titan-embed-text-v2:0";
    static final int COHERE_MAX_TEXTS = 96;
    /** Bedrock's model ids, sizes and on-demand prices (aws.amazon.com/bedrock/pricing, docs.aws.amazon.com model parameters). */
    static final List<VendorModel> MODELS = List.of(
            new VendorModel(TITAN_V2, 1024, List.of(256, 512, 1024), false, 8192, new BigDecimal("0.02")),
            VendorModel.fixed("amazon.titan-embed-text-v1", 1536, 8192, "0.10"),
            VendorModel.fixed("cohere.embed-english-v3", 1024, 512, "0.10"),
            VendorModel.fixed("cohere.embed-multilingual-v3", 1024, 512, "0.10"));

    private final BedrockRuntimeClient client;
    private final ExecutorService calls;

    BedrockEmbeddingProvider(String name, BedrockRuntimeClient client, int maxConcurrency) {
        super(name, "Bedrock", new RestUpstream.Statuses(Set.of(400), Set.of(429)), MODELS, InputTypes.NONE,
                COHERE_MAX_TEXTS, maxConcurrency);
        this.client = client;
        this.calls = Executors.newFixedThreadPool(maxConcurrency, DaemonThreads.named("bedrock-" + name));
    }

    private static boolean cohere(String model) {
        return model.startsWith("cohere.");
    }

    @Override
    protected InputTypes inputTypes(String model) {
        // Cohere's models take Cohere's input types, as on Cohere's own API; Titan has none.
        return cohere(model) ? CohereInputTypes.TYPES : InputTypes.NONE;
    }

    @Override
    protected int maxTextsPerCall(String model) {
        return cohere(model) ? COHERE_MAX_TEXTS : 1;
    }

    @Override
    protected CompletableFuture<Answer> call(Call call) {
        return CompletableFuture.supplyAsync(() -> cohere(call.model()) ? invokeCohere(call) : invokeTitan(call), calls);
    }

    private Answer invokeTitan(Call call) {
        ObjectNode body = JSON.createObjectNode().put("inputText", call.texts().get(0));
        if (call.model().equals(TITAN_V2)) {
            body.put("normalize", true);
            call.dimensions().ifPresent(d -> body.put("dimensions", d));
        }
        JsonNode answer = invoke(call.model(), body);
        JsonNode tokens = answer.path("inputTextTokenCount");
        return new Answer(List.of(vector(answer.path("embedding"))),
                tokens.canConvertToInt() ? OptionalInt.of(tokens.intValue()) : OptionalInt.empty());
    }

    private Answer invokeCohere(Call call) {
        ObjectNode body = JSON.createObjectNode();
        body.putPOJO("texts", call.texts());
        body.put("input_type", CohereInputTypes.name(call.inputType()));
        body.put("truncate", call.truncate() ? "END" : "NONE");
        List<float[]> vectors = new ArrayList<>();
        invoke(call.model(), body).path("embeddings").forEach(v -> vectors.add(vector(v)));
        return new Answer(vectors, OptionalInt.empty());
    }

    /** Null for what is no array of numbers: the caller's check calls the answer malformed. */
    private static float[] vector(JsonNode array) {
        if (!array.isArray()) {
            return null;
        }
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).isNumber() ? array.get(i).floatValue() : Float.NaN;
        }
        return v;
    }

    private JsonNode invoke(String model, ObjectNode body) {
        try {
            String answer = client.invokeModel(InvokeModelRequest.builder().modelId(model).contentType("application/json")
                    .accept("application/json").body(SdkBytes.fromUtf8String(body.toString())).build()).body().asUtf8String();
            return JSON.readTree(answer);
        } catch (IOException e) {
            throw ProviderFailedException.malformed(name(), "Bedrock answered no JSON");
        } catch (SdkException e) {
            throw failure(e);
        }
    }

    /** The SDK's exception in the SPI's terms (its message names no credential). */
    private ProviderException failure(SdkException e) {
        String who = "provider " + name();
        if (e instanceof ApiCallTimeoutException) {
            return new ProviderFailedException(who + " timed out.", Reason.TIMEOUT, e);
        }
        if (e instanceof BedrockRuntimeException aws) {
            int status = aws.statusCode();
            String said = aws.awsErrorDetails() == null ? "HTTP " + status : aws.awsErrorDetails().errorMessage();
            if (status == 400) {
                return new BadInputException(who + " refused the input: " + said, "input", null);
            }
            if (status == 429) {
                return new ProviderFailedException(who + " is throttled by Bedrock (HTTP 429).", Reason.RATE_LIMITED, null);
            }
            if (status == 401 || status == 403) {
                return new ProviderFailedException(who + " was refused by Bedrock (HTTP " + status + "): the operator must "
                        + "check its credentials and model access.", Reason.REJECTED_CREDENTIALS, null);
            }
            return new ProviderFailedException(who + " failed: Bedrock answered HTTP " + status + ".", Reason.UNAVAILABLE, null);
        }
        return new ProviderFailedException(who + " is unreachable (" + e.getClass().getSimpleName() + ").", Reason.UNAVAILABLE, e);
    }

    @Override
    public void close() {
        calls.shutdownNow();
        client.close();
    }
}
