package dev.embeddinggateway.http;

import dev.embeddinggateway.core.BadInputException;
import dev.embeddinggateway.core.OverloadedException;
import dev.embeddinggateway.core.ProviderFailedException;
import dev.embeddinggateway.core.support.AsyncFailures;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/** Every failure of every JAX-RS endpoint becomes OpenAI's error JSON with the contract's status. */
public class ApiExceptionMappers {
    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);
    /** What a client is told of the API when it asks for an unknown URL (here, and by {@link UnmatchedRequests}). */
    static final String ENDPOINTS = "The gateway serves POST /v1/embeddings, POST /v1/tokenize, GET /v1/models, "
            + "GET /v1/models/{model} and /v1/files.";
    /** What the HTTP layer's body reader says of a body past quarkus.http.limits.max-body-size. */
    private static final String TOO_LARGE = "Request too large";
    private final AllowedMethods allowed;

    public ApiExceptionMappers(AllowedMethods allowed) {
        this.allowed = allowed;
    }

    @ServerExceptionMapper
    public Response map(Throwable error, HttpHeaders headers, UriInfo uri) {
        ApiException answer = toApiException(error, headers.getHeaderString(RequestIds.HEADER));
        // HTTP asks a 405 to name the methods the URL takes.
        return toResponse(answer.status() != 405 ? answer : allowed.of(uri.getPath())
                .map(methods -> new ApiException(405, answer.error(), Map.of(HttpHeaders.ALLOW, methods))).orElse(answer));
    }

    /** What the client is told of a failure: in OpenAI's shape, the detail of an unexpected one in the log only. */
    public static ApiException toApiException(Throwable error, String requestId) {
        Throwable e = AsyncFailures.unwrap(error);
        if (e instanceof ApiException api) {
            return api;
        }
        if (e instanceof BadInputException bad) {
            return new ApiException(400, new ApiError(bad.getMessage(), ApiError.INVALID_REQUEST, bad.param(), bad.code()));
        }
        if (e instanceof OverloadedException overloaded) {
            return new ApiException(503, new ApiError(overloaded.getMessage(), "server_error", null, "overloaded"),
                    Map.of("retry-after", retryAfterSeconds(overloaded.retryAfter())));
        }
        if (e instanceof ProviderFailedException failed) {
            return upstreamFailure(failed);
        }
        if (e instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            if (status < 500) {
                return new ApiException(status, ApiError.invalid(clientMessage(status, web), null));
            }
        }
        if (e instanceof SQLException) {
            LOG.warnf("request %s: the store failed: %s", requestId, LogText.escaped(e.getMessage()));
            return new ApiException(503, new ApiError("The gateway's store is unreachable; retry later (request id "
                    + requestId + ").", "server_error", null, "store_unavailable"), Map.of("retry-after", "5"));
        }
        if (e instanceof IOException && TOO_LARGE.equals(e.getMessage())) {
            // A chunked body past the limit: the HTTP layer has answered 413 already.
            return new ApiException(413, ApiError.invalid(clientMessage(413, null), null));
        }
        // Unexpected: the detail goes to the log only, under the request id the client also sees.
        LOG.errorf(e, "request %s failed", requestId);
        return new ApiException(500, new ApiError("The gateway failed to handle this request (request id "
                + requestId + "). Retry, and report the request id if it persists.", "server_error", null, null));
    }

    private static ApiException upstreamFailure(ProviderFailedException failed) {
        return switch (failed.reason()) {
            case RATE_LIMITED -> new ApiException(429, new ApiError(failed.getMessage(), "rate_limit_exceeded", null,
                    "upstream_rate_limited"), Map.of("retry-after", retryAfterSeconds(failed.retryAfter().orElse(Duration.ZERO))));
            case TIMEOUT -> new ApiException(504, new ApiError(failed.getMessage(), "upstream_error", null, "timeout"));
            case UNAVAILABLE, REJECTED_CREDENTIALS -> new ApiException(502, new ApiError(failed.getMessage(),
                    "upstream_error", null, null));
        };
    }

    /** A {@code retry-after} value: whole seconds, rounded up (never earlier than the wait), at least 1. */
    public static String retryAfterSeconds(Duration wait) {
        return Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000));
    }

    private static String clientMessage(int status, WebApplicationException e) {
        return switch (status) {
            case 404 -> "Unknown URL. " + ENDPOINTS;
            case 405 -> "Method not allowed for this URL.";
            case 415 -> "Unsupported content type: send application/json.";
            case 413 -> "The request body is too large.";
            default -> e.getMessage() == null ? "Bad request." : e.getMessage();
        };
    }

    public static Response toResponse(ApiException e) {
        Response.ResponseBuilder response = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(e.error().body());
        e.headers().forEach(response::header);
        return response.build();
    }
}
