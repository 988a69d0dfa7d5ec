package dev.embeddinggateway.provider.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.embeddinggateway.core.TokenizedText;
import dev.embeddinggateway.core.Tokens;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The model's own Hugging Face tokenizer, with the truncation and padding that some {@code tokenizer.json}
 * files carry switched off: all-MiniLM-L6-v2's says 128 tokens and Fixed(128) padding, while the model
 * takes 256 and inference passes pad only to their longest member. Long input is cut by {@link Tokens#fit}.
 */
final class ModelTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final String id;

    ModelTokenizer(ModelFile file) {
        byte[] json = file.readAll();
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), Map.of(
                    "addSpecialTokens", "true", "truncation", "false", "padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + file, e);
        }
        id = "hf:" + sha256(json);
    }

    /** Names this tokenizer by its file's content: two providers share tokens only when their files match. */
    String id() {
        return id;
    }

    List<Tokens> tokenize(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        return Arrays.stream(encodings).map(e -> tokens(e.getIds(), e.getSpecialTokenMask())).toList();
    }

    /** With each token's characters (special tokens: none), for a client's tokenize call. */
    List<TokenizedText> tokenizeForClient(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        return Arrays.stream(encodings).map(e -> {
            long[] special = e.getSpecialTokenMask();
            CharSpan[] chars = e.getCharTokenSpans();
            int[][] spans = new int[chars.length][];
            for (int i = 0; i < chars.length; i++) {
                spans[i] = special[i] == 1 || chars[i] == null ? null : new int[]{chars[i].getStart(), chars[i].getEnd()};
            }
            return new TokenizedText(tokens(e.getIds(), special), spans, false);
        }).toList();
    }

    /** The ids, with the special tokens the tokenizer marked at either end counted off. */
    static Tokens tokens(long[] ids, long[] specialTokenMask) {
        int leading = 0;
        while (leading < ids.length && specialTokenMask[leading] == 1) {
            leading++;
        }
        int trailing = 0;
        while (trailing < ids.length - leading && specialTokenMask[ids.length - 1 - trailing] == 1) {
            trailing++;
        }
        return new Tokens(Arrays.stream(ids).mapToInt(Math::toIntExact).toArray(), leading, trailing);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
