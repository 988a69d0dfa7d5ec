package dev.embeddinggateway.limits;

import java.time.Duration;

/**
 * One limit's answer.
 *
 * @param limit     per minute
 * @param remaining what is left in the current minute
 * @param reset     when the limit is full again; for a refusal, when the request would pass
 */
public record LimitDecision(boolean allowed, long limit, long remaining, Duration reset) {
}
