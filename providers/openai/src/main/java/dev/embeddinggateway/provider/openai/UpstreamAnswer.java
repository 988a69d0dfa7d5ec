package dev.embeddinggateway.provider.openai;

import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingValue;
import dev.embeddinggateway.core.ModelInfo;
import dev.embeddinggateway.core.ProviderException;
import dev.embeddinggateway.core.ProviderFailedException;
import dev.embeddinggateway.core.support.UpstreamCalls;
import dev.embeddinggateway.core.support.Vectors;

import java.util.List;
import java.util.OptionalInt;

/**
 * One upstream call's answer, trusted only once checked: one vector per input, each index once, every vector of the
 * size asked for (or the model's own size when a server ignored {@code dimensions}: then truncated) and finite, and
 * a usage figure. Anything else is {@link ProviderFailedException#malformed}: a 502 and the next provider.
 */
final class UpstreamAnswer {
    private UpstreamAnswer() {
    }

    /**
     * The vectors of a call of {@code inputs} inputs, in its order, and the upstream's token count of the call (shared
     * among its inputs by {@link UpstreamCalls}).
     */
    static UpstreamCalls.Answer<float[]> read(String provider, CreateEmbeddingResponse response, int inputs, ModelInfo model,
                                              int dimensions) {
        try {
            if (response.data().size() != inputs) {
                throw ProviderFailedException.malformed(provider, "it returned " + response.data().size() + " vectors for "
                        + inputs + " inputs");
            }
            float[][] vectors = new float[inputs][];
            for (var data : response.data()) {
                long index = data.index();
                if (index < 0 || index >= inputs || vectors[(int) index] != null) {
                    throw ProviderFailedException.malformed(provider, "index " + index + " is out of range or repeated");
                }
                vectors[(int) index] = vector(provider, data.embeddingValue(), model, dimensions);
            }
            long reported = response.usage().promptTokens();
            if (reported < 0 || reported > Integer.MAX_VALUE) {
                throw ProviderFailedException.malformed(provider, "usage.prompt_tokens is " + reported);
            }
            return new UpstreamCalls.Answer<>(List.of(vectors), OptionalInt.of((int) reported));
        } catch (ProviderException e) {
            throw e;
        } catch (RuntimeException e) {
            // The SDK's view of an answer missing a field or holding the wrong type, or base64 that is none.
            throw ProviderFailedException.malformed(provider, e.getClass().getSimpleName());
        }
    }

    private static float[] vector(String provider, EmbeddingValue value, ModelInfo model, int dimensions) {
        float[] v = value.isBase64() ? Vectors.fromBase64(value.asBase64()) : floats(value.asFloats());
        // A server that ignores `dimensions` gives the model's own size; the client still gets the size it asked for.
        boolean modelSize = model.matryoshka() && v.length == model.dimensions() && dimensions < v.length;
        return Vectors.truncate(Vectors.fromUpstream(provider, v, modelSize ? v.length : dimensions), dimensions);
    }

    private static float[] floats(List<Float> values) {
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        return v;
    }
}
