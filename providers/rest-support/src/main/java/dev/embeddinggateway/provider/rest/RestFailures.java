package dev.embeddinggateway.provider.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embeddinggateway.core.BadInputException;
import dev.embeddinggateway.core.ProviderException;
import dev.embeddinggateway.core.ProviderFailedException;
import dev.embeddinggateway.core.ProviderFailedException.Reason;
import dev.embeddinggateway.core.support.AsyncFailures;
import jakarta.ws.rs.WebApplicationException;

import java.time.Duration;

/**
 * What a REST client call's failure means for the SPI. The upstream's own message reaches the client only when it
 * is about the client's own input; a 429's {@code retry-after} is kept.
 */
public final class RestFailures {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 300;

    /** How an HTTP status is taken. */
    enum Kind { BAD_INPUT, RATE_LIMITED, CREDENTIALS, UNAVAILABLE }

    private RestFailures() {
    }

    public static ProviderException map(String provider, Throwable thrown, RestUpstream.Statuses statuses) {
        Throwable e = AsyncFailures.unwrap(thrown);
        if (e instanceof ProviderException known) {
            return known;
        }
        String who = "provider " + provider;
        if (e instanceof WebApplicationException web && web.getResponse() != null) {
            int status = web.getResponse().getStatus();
            return switch (statuses.of(status)) {
                case BAD_INPUT -> new BadInputException(who + " refused the input: " + upstreamMessage(web), "input", null);
                case RATE_LIMITED -> new ProviderFailedException(who + " is overloaded (HTTP " + status + ").",
                        Reason.RATE_LIMITED, retryAfter(web), null);
                case CREDENTIALS -> new ProviderFailedException(who + " rejected the gateway's credentials (HTTP " + status
                        + "); the operator must check its api-key.", Reason.REJECTED_CREDENTIALS, null);
                case UNAVAILABLE -> new ProviderFailedException(who + " failed: the upstream answered HTTP " + status + ".",
                        Reason.UNAVAILABLE, null);
            };
        }
        if (timedOut(e)) {
            return new ProviderFailedException(who + " timed out.", Reason.TIMEOUT, e);
        }
        return new ProviderFailedException(who + " is unreachable (" + e.getClass().getSimpleName() + ").",
                Reason.UNAVAILABLE, e);
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    /** The upstream's {@code retry-after} in seconds, when it sent one that makes sense; null else. */
    private static Duration retryAfter(WebApplicationException web) {
        String header = web.getResponse().getHeaderString("retry-after");
        try {
            long seconds = header == null ? -1 : Long.parseLong(header.trim());
            return seconds >= 0 && seconds <= 3600 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException httpDate) {
            return null;
        }
    }

    /** What the upstream said: TEI's and Ollama's {@code error}, Google's {@code error.message}, Cohere's {@code message}, Voyage's and Jina's {@code detail}. */
    private static String upstreamMessage(WebApplicationException web) {
        try {
            String body = web.getResponse().readEntity(String.class);
            JsonNode root = JSON.readTree(body);
            JsonNode said = root.path("error").isTextual() ? root.path("error") : root.path("error").path("message");
            for (String field : new String[]{"message", "detail"}) {
                if (!said.isTextual()) {
                    said = root.path(field);
                }
            }
            String text = said.isTextual() ? said.asText() : body;
            return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text;
        } catch (RuntimeException | java.io.IOException unreadable) {
            return "HTTP " + web.getResponse().getStatus();
        }
    }
}
