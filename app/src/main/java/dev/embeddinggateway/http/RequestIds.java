package dev.embeddinggateway.http;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an {@code x-request-id}: the client's, when it sent a sane one, else a new one. It is
 * echoed on the response, written to the access log, and quoted in error messages.
 */
@ApplicationScoped
public class RequestIds {
    public static final String HEADER = "x-request-id";
    private static final AttributeKey<List<String>> SPAN_ATTRIBUTE = AttributeKey.stringArrayKey("http.request.header." + HEADER);
    /** Only ids that cannot forge log lines or bloat them. */
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String id = rc.request().getHeader(HEADER);
            if (id == null || !SANE.matcher(id).matches()) {
                id = UUID.randomUUID().toString();
                rc.request().headers().set(HEADER, id);
            }
            rc.response().putHeader(HEADER, id);
            // On the request's span too, as OpenTelemetry's HTTP conventions name it (while tracing is on).
            Span span = Span.current();
            if (span.isRecording()) {
                span.setAttribute(SPAN_ATTRIBUTE, List.of(id));
            }
            rc.next();
        }, 1000);
    }
}
