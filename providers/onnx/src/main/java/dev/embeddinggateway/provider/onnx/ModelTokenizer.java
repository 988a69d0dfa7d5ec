package dev.embeddinggateway.provider.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The model's own Hugging Face tokenizer, with the truncation and padding that some {@code tokenizer.json}
 * files carry switched off: all-MiniLM-L6-v2's says 128 tokens and Fixed(128) padding, while the model
 * takes 256 and batches pad only to their longest member. Long input is cut by {@link TokenSequence}.
 */
final class ModelTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;

    ModelTokenizer(ModelFile file) {
        try (InputStream in = file.open()) {
            tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of(
                    "addSpecialTokens", "true", "truncation", "false", "padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + file, e);
        }
    }

    List<TokenSequence> tokenize(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        return Arrays.stream(encodings)
                .map(e -> TokenSequence.of(e.getIds(), e.getSpecialTokenMask())).toList();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
