package dev.embeddinggateway.core.support;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What failed inside the wrappers futures put around a failure. */
public final class AsyncFailures {
    private AsyncFailures() {
    }

    public static Throwable unwrap(Throwable thrown) {
        Throwable e = thrown;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
