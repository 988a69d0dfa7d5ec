package dev.embeddinggateway.cache;

import dev.embeddinggateway.core.EmbeddingSpace;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.LongInputPolicy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The cache key of one input: SHA-256 of the embedding space, the requested dimensions, the long-input
 * policy (a truncated and a chunked long text are different vectors), the input type a provider maps itself, and
 * the exact input, its prompt included (never trimmed or lower-cased: a changed byte may be a changed meaning).
 * Two models, two sizes, a query and a document, or text and token ids never share a key.
 */
final class CacheKeys {
    private CacheKeys() {
    }

    /** @param inputType the input type the provider maps itself, or null (a prompt is part of the input) */
    static String of(EmbeddingSpace space, int dimensions, LongInputPolicy longInput, String inputType, Input input) {
        MessageDigest sha256 = sha256();
        // Without an input type the key is what it was before input types existed: cached vectors stay valid.
        sha256.update((space + "\n" + dimensions + "\n" + longInput + "\n" + (inputType == null ? "" : inputType + "\n"))
                .getBytes(StandardCharsets.UTF_8));
        if (input instanceof Input.TokenIds ids) {
            sha256.update((byte) 'i');
            for (int id : ids.ids()) {
                sha256.update(new byte[]{(byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
            }
        } else {
            sha256.update((byte) 't');
            sha256.update(((Input.Text) input).text().getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
