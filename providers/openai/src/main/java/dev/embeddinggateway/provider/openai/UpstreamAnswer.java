package dev.embeddinggateway.provider.openai;

import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingValue;
import dev.embeddinggateway.core.ModelInfo;
import dev.embeddinggateway.core.ProviderException;
import dev.embeddinggateway.core.ProviderFailedException;
import dev.embeddinggateway.core.TokenShares;
import dev.embeddinggateway.core.Vectors;

import java.util.List;

/**
 * One upstream call's answer, trusted only once checked: one vector per input, each index once, every vector of the
 * size asked for (or the model's own size when a server ignored {@code dimensions}: then truncated) and finite, and
 * a usage figure. Anything else is {@link ProviderFailedException#malformed}: a 502 and the next provider.
 *
 * @param vectors one per input of the call, in its order
 * @param tokens  the upstream's token count, shared among the inputs
 */
record UpstreamAnswer(float[][] vectors, int[] tokens) {

    static UpstreamAnswer read(String provider, CreateEmbeddingResponse response, List<UpstreamPiece> call, ModelInfo model,
                               int dimensions) {
        try {
            if (response.data().size() != call.size()) {
                throw ProviderFailedException.malformed(provider, "it returned " + response.data().size() + " vectors for "
                        + call.size() + " inputs");
            }
            float[][] vectors = new float[call.size()][];
            for (var data : response.data()) {
                long index = data.index();
                if (index < 0 || index >= call.size() || vectors[(int) index] != null) {
                    throw ProviderFailedException.malformed(provider, "index " + index + " is out of range or repeated");
                }
                vectors[(int) index] = vector(provider, data.embeddingValue(), model, dimensions);
            }
            long reported = response.usage().promptTokens();
            if (reported < 0 || reported > Integer.MAX_VALUE) {
                throw ProviderFailedException.malformed(provider, "usage.prompt_tokens is " + reported);
            }
            return new UpstreamAnswer(vectors, TokenShares.allocate((int) reported,
                    call.stream().mapToInt(UpstreamPiece::tokens).toArray()));
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
