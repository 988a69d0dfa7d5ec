package dev.embeddinggateway.http;

import dev.embeddinggateway.config.GatewayConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Answers in OpenAI's error shape what never reaches an endpoint: bodies over {@code gateway.max-body-size}
 * (413, refused before they are read) and URLs no endpoint serves (404), instead of the HTTP server's
 * plain or HTML pages.
 */
@ApplicationScoped
public class UnmatchedRequests {
    private final long maxBodySize;

    public UnmatchedRequests(GatewayConfig config) {
        this.maxBodySize = config.maxBodySize().asLongValue();
    }

    void refuseOversizedBodies(@Observes Filters filters) {
        filters.register(rc -> {
            String length = rc.request().getHeader("content-length");
            if (length != null && isLargerThanLimit(length)) {
                // The body stays unread: close the connection once the answer is out.
                rc.response().putHeader("connection", "close");
                fail(rc, 413, ApiError.invalid("The request body is larger than this gateway takes ("
                        + maxBodySize + " bytes). Send fewer or shorter inputs per request.", null));
            } else {
                rc.next();
            }
        }, 900);
    }

    private boolean isLargerThanLimit(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBodySize;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    void answerUnknownUrls(@Observes Router router) {
        router.route().order(Integer.MAX_VALUE).handler(rc -> fail(rc, 404, ApiError.invalid("Unknown URL ("
                + rc.request().method() + " " + rc.normalizedPath() + "). The gateway serves POST /v1/embeddings, "
                + "GET /v1/models and GET /v1/models/{model}.", null)));
    }

    /** Writes an error outside JAX-RS (route filters and handlers). */
    static void fail(RoutingContext rc, int status, ApiError error) {
        fail(rc, new ApiException(status, error));
    }

    /** Writes an error outside JAX-RS, with its headers. */
    public static void fail(RoutingContext rc, ApiException e) {
        e.headers().forEach(rc.response()::putHeader);
        rc.response().setStatusCode(e.status()).putHeader("content-type", "application/json").end(e.error().json());
    }
}
