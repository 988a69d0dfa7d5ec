package dev.embeddinggateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Keys are known only by their SHA-256. */
final class Sha256 {
    private Sha256() {
    }

    static byte[] of(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(String key) {
        return HexFormat.of().formatHex(of(key));
    }

    static byte[] parseHex(String hex, String setting) {
        try {
            byte[] bytes = HexFormat.of().parseHex(hex.trim().toLowerCase(Locale.ROOT));
            if (bytes.length == 32) {
                return bytes;
            }
        } catch (IllegalArgumentException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(setting + " must be the 64 hex digits of a SHA-256 (printf %s KEY | sha256sum)");
    }
}
