package dev.embeddinggateway.provider.openai;

import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.errors.UnprocessableEntityException;
import dev.embeddinggateway.core.BadInputException;
import dev.embeddinggateway.core.ProviderException;
import dev.embeddinggateway.core.ProviderFailedException;
import dev.embeddinggateway.core.ProviderFailedException.Reason;
import dev.embeddinggateway.core.support.AsyncFailures;

import java.io.InterruptedIOException;
import java.time.Duration;

/**
 * Turns what the SDK throws (after its own retries) into the SPI's typed errors. Messages name the provider
 * instance; an upstream's words are passed on only for the client's own bad input, never for auth failures
 * (OpenAI's 401 message quotes part of the key).
 */
final class UpstreamErrors {
    private UpstreamErrors() {
    }

    static ProviderException map(String provider, String model, Throwable thrown) {
        Throwable e = AsyncFailures.unwrap(thrown);
        if (e instanceof ProviderException known) {
            return known;
        }
        String who = "provider " + provider;
        if (e instanceof BadRequestException || e instanceof UnprocessableEntityException) {
            OpenAIServiceException bad = (OpenAIServiceException) e;
            return new BadInputException(who + " refused the input: " + upstreamMessage(bad),
                    bad.param().orElse("input"), bad.code().orElse(null));
        }
        if (e instanceof UnauthorizedException || e instanceof PermissionDeniedException) {
            return new ProviderFailedException(who + " rejected the gateway's credentials (HTTP "
                    + ((OpenAIServiceException) e).statusCode() + "); the operator must check its api-key.",
                    Reason.REJECTED_CREDENTIALS, null);
        }
        if (e instanceof RateLimitException limited) {
            return new ProviderFailedException(who + " is rate-limited by its upstream (HTTP 429) after retries.",
                    Reason.RATE_LIMITED, retryAfter(limited), null);
        }
        if (e instanceof NotFoundException) {
            return new ProviderFailedException(who + ": the upstream does not serve model '" + model + "' (HTTP 404).",
                    Reason.UNAVAILABLE, null);
        }
        if (e instanceof OpenAIServiceException failed) {
            return new ProviderFailedException(who + " failed: the upstream answered HTTP " + failed.statusCode() + ".",
                    Reason.UNAVAILABLE, null);
        }
        if (e instanceof OpenAIInvalidDataException) {
            return new ProviderFailedException(who + " failed: the upstream's answer is not a valid embeddings response.",
                    Reason.UNAVAILABLE, null);
        }
        if (e instanceof OpenAIIoException && hasCause(e, InterruptedIOException.class)) {
            return new ProviderFailedException(who + " timed out: no answer from the upstream in time.", Reason.TIMEOUT, null);
        }
        if (e instanceof OpenAIIoException) {
            return new ProviderFailedException(who + " failed: cannot reach the upstream ("
                    + rootCause(e).getClass().getSimpleName() + ").", Reason.UNAVAILABLE, null);
        }
        return new ProviderFailedException(who + " failed: " + e.getClass().getSimpleName() + ".", Reason.UNAVAILABLE, e);
    }

    /** The SDK's message is "STATUS: upstream message"; the client needs the upstream's part. */
    private static String upstreamMessage(OpenAIServiceException e) {
        String message = String.valueOf(e.getMessage());
        return message.replaceFirst("^\\d{3}: ", "");
    }

    private static Duration retryAfter(RateLimitException e) {
        for (String value : e.headers().values("retry-after")) {
            try {
                return Duration.ofSeconds(Long.parseLong(value.trim()));
            } catch (NumberFormatException httpDate) {
                // An HTTP date: leave the default.
            }
        }
        return null;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
