package dev.embeddinggateway.http;

import dev.embeddinggateway.config.GatewayConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * {@code gateway.max-body-size}: a body declared larger is refused (413 in OpenAI's shape) before it is read, and
 * the endpoints read theirs through {@link #readWithinLimit}, which holds a chunked body to the same limit.
 */
@ApplicationScoped
public class BodySizeLimit {
    private final long maxBodySize;

    public BodySizeLimit(GatewayConfig config) {
        this.maxBodySize = config.maxBodySize().asLongValue();
    }

    void refuseOversizedBodies(@Observes Filters filters) {
        filters.register(rc -> {
            String length = rc.request().getHeader("content-length");
            if (length != null && isLargerThanLimit(length)) {
                UnmatchedRequests.fail(rc, tooLarge());
            } else {
                rc.next();
            }
        }, 900);
    }

    /**
     * A body read up to the limit: what a request sent without {@code Content-Length} (chunked) is held to, while it
     * is read, so that it too is refused in OpenAI's shape.
     */
    public byte[] readWithinLimit(InputStream body) throws IOException {
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
}
