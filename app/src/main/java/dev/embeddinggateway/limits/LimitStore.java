package dev.embeddinggateway.limits;

import java.util.concurrent.CompletionStage;

/** Where per-minute limits are counted: in this process, or in Redis for every replica. */
interface LimitStore {

    /** Takes {@code amount} from limit {@code id} (of {@code perMinute}) if that much is left. */
    CompletionStage<LimitDecision> consume(String id, long perMinute, long amount);

    /** Corrects a count afterwards: a positive delta takes more (even past the limit), a negative one gives back. */
    CompletionStage<Void> adjust(String id, long perMinute, long delta);
}
