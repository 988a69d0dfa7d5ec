package dev.embeddinggateway.http;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the gateway. A URL that cannot be decoded ({@code %ZZ}) is let through Quarkus's HTTP layer, which would
 * answer it with an empty 400 before any route, so that it too gets OpenAI's error shape (see
 * {@code UnmatchedRequests}); Vert.x reads the switch once, before the server starts.
 */
@QuarkusMain
public final class GatewayMain {
    private GatewayMain() {
    }

    public static void main(String... args) {
        System.setProperty("vertx.disableURIValidation", "true");
        Quarkus.run(args);
    }
}
