package dev.embeddinggateway.testing;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import java.time.Duration;

/**
 * The tests' one way to wait for what the gateway does in the background (the ledger's flush, batch jobs, health
 * checks, exported traces): Awaitility, asking every 100 ms until {@code timeout}. An uncaught exception in another
 * thread of the gateway is the gateway's to log, not a failure of the wait.
 */
public final class Eventually {
    private Eventually() {
    }

    public static ConditionFactory within(Duration timeout) {
        return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).dontCatchUncaughtExceptions();
    }
}
