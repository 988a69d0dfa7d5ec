package dev.embeddinggateway.http;

import dev.embeddinggateway.config.GatewayConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

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
                fail(rc, tooLarge());
            } else {
                rc.next();
            }
        }, 900);
    }

    /**
     * A body read up to the limit: what a request sent without {@code Content-Length} (chunked) is held to, while it
     * is read, so that it too is refused in OpenAI's shape.
     */
    public byte[] read(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodySize + 1));
        if (bytes.length > maxBodySize) {
            throw tooLarge();
        }
        return bytes;
    }

    /** 413; the rest of the body stays unread, so the connection closes once the answer is out. */
    private ApiException tooLarge() {
        return new ApiException(413, ApiError.invalid("The request body is larger than this gateway takes ("
                + maxBodySize + " bytes). Send fewer or shorter inputs per request.", null), Map.of("connection", "close"));
    }

    private boolean isLargerThanLimit(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBodySize;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A URL the router cannot decode ({@code %ZZ}) is the client's: 400 in OpenAI's shape, nothing logged. */
    void answerUndecodableUrls(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(rc -> {
            if (rc.failure() instanceof IllegalArgumentException && !rc.response().ended()) {
                fail(rc, 400, ApiError.invalid("The URL cannot be decoded: a '%' must be followed by two hex digits.", null));
            } else {
                rc.next();
            }
        });
    }

    void answerUnknownUrls(@Observes Router router) {
        router.route().order(Integer.MAX_VALUE).handler(rc -> fail(rc, 404, ApiError.invalid("Unknown URL ("
                + rc.request().method() + " " + rc.normalizedPath() + "). " + ApiExceptionMappers.ENDPOINTS, null)));
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
