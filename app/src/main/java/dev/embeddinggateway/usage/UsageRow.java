package dev.embeddinggateway.usage;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Usage of one minute for one (key, team, provider, model, batch): what the ledger adds up and stores.
 *
 * @param bucket the minute, UTC
 * @param work   interactive, or the batch job whose work it was
 */
public record UsageRow(Instant bucket, String apiKey, String team, String provider, String model, Work work,
                       Totals totals) {

    /** What identifies a row: everything but its totals. */
    public record Id(Instant bucket, String apiKey, String team, String provider, String model, Work work) {
    }

    /**
     * Sums. Money is BigDecimal, never float.
     *
     * @param billedTokens the tokens providers embedded, as they counted them
     * @param estimatedTokens the part of {@code billedTokens} the gateway estimated, the provider's answer counting none
     * @param cachedTokens the tokens served from the cache
     * @param savedUsd     what the cached tokens would have cost
     */
    public record Totals(long requests, long inputTokens, long billedTokens, long estimatedTokens, long cachedTokens,
                         BigDecimal costUsd, BigDecimal savedUsd) {
        public static final Totals ZERO = new Totals(0, 0, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO);

        public Totals plus(Totals o) {
            return new Totals(requests + o.requests, inputTokens + o.inputTokens, billedTokens + o.billedTokens,
                    estimatedTokens + o.estimatedTokens, cachedTokens + o.cachedTokens, costUsd.add(o.costUsd),
                    savedUsd.add(o.savedUsd));
        }
    }

    public Id id() {
        return new Id(bucket, apiKey, team, provider, model, work);
    }
}
