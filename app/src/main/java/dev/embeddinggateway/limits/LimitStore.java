package dev.embeddinggateway.limits;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Where per-minute limits are counted: in this process, or in Redis for every replica. */
interface LimitStore {

    /**
     * What one request does to a holder's limits.
     *
     * @param requests the requests limit's answer; empty when there is none
     * @param tokens   the tokens limit's answer; empty when there is none
     */
    record Admission(Optional<LimitDecision> requests, Optional<LimitDecision> tokens) {
        boolean allowed() {
            return requests.map(LimitDecision::allowed).orElse(true) && tokens.map(LimitDecision::allowed).orElse(true);
        }
    }

    /**
     * Takes one request and {@code tokens} from the limits {@code holder + ":requests"} and {@code holder + ":tokens"}
     * when both have that much left; else takes nothing.
     */
    CompletionStage<Admission> admit(String holder, PerMinute limit, long tokens);

    /**
     * Corrects a holder's token count afterwards: a positive delta takes more (even past the limit), a negative
     * one gives back.
     */
    CompletionStage<Void> adjustTokens(String holder, long perMinute, long delta);
}
