package dev.embeddinggateway.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Answers in OpenAI's error shape what never reaches an endpoint: URLs no endpoint serves (404) or that cannot be
 * decoded (400), instead of the HTTP server's plain or HTML pages.
 */
@ApplicationScoped
public class UnmatchedRequests {

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
