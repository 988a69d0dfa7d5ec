package dev.embeddinggateway.auth;

import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The header by which this replica's own warm-up requests are known: a secret drawn at start and never written
 * anywhere, so no client can pass for the warm-up (whose requests are not recorded).
 */
@Singleton
public class WarmUpPass {
    public static final String HEADER = "x-gateway-warm-up";
    private final String secret;

    public WarmUpPass() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        secret = HexFormat.of().formatHex(random);
    }

    public String secret() {
        return secret;
    }

    boolean matches(String header) {
        return header != null && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                header.getBytes(StandardCharsets.UTF_8));
    }
}
