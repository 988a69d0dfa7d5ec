package dev.embeddinggateway.http;

import dev.embeddinggateway.config.GatewayConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * {@code gateway.max-body-size}: a body declared larger is refused (413 in OpenAI's shape) before it is read, and
 * the endpoints read theirs through {@link #readWithinLimit}, which holds a chunked body to the same limit. An upload
 * to {@code /v1/files}, which the HTTP layer spools to disk and the file store takes a chunk at a time, is held to
 * {@code quarkus.http.limits.max-body-size} instead (64M): refused the same way when declared larger.
 */
@ApplicationScoped
public class BodySizeLimit {
    static final String UPLOADS = "/v1/files";
    private static final String FEWER_INPUTS = "Send fewer or shorter inputs per request.";
    private static final String SMALLER_FILE = "Upload a smaller file.";
    private final long maxBodySize;
    private final long maxUploadSize;

    public BodySizeLimit(GatewayConfig config,
                         @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxUploadSize) {
        this.maxBodySize = config.maxBodySize().asLongValue();
        this.maxUploadSize = maxUploadSize.asLongValue();
    }

    void refuseOversizedBodies(@Observes Filters filters) {
        filters.register(rc -> {
            String length = rc.request().getHeader("content-length");
            boolean upload = UPLOADS.equals(rc.normalizedPath());
            if (length != null && isLargerThan(length, upload ? maxUploadSize : maxBodySize)) {
                UnmatchedRequests.fail(rc, upload ? tooLarge(maxUploadSize, SMALLER_FILE) : tooLarge(maxBodySize, FEWER_INPUTS));
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
            throw tooLarge(maxBodySize, FEWER_INPUTS);
        }
        return bytes;
    }

    /** 413; the rest of the body stays unread, so the connection closes once the answer is out. */
    private static ApiException tooLarge(long limit, String advice) {
        return new ApiException(413, ApiError.invalid("The request body is larger than this gateway takes ("
                + limit + " bytes). " + advice, null),
                Map.of("connection", "close"));
    }

    private static boolean isLargerThan(String contentLength, long limit) {
        try {
            return Long.parseLong(contentLength.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
