package dev.embeddinggateway.http;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A graceful stop: from SIGTERM on, new requests get 503 in OpenAI's shape (a load balancer or client retries
 * another replica) while Quarkus lets those in flight finish ({@code quarkus.shutdown.timeout}); the usage
 * ledger is written after them. Health endpoints keep answering.
 */
@ApplicationScoped
public class Draining {
    private static final ApiError STOPPING = new ApiError(
            "The gateway is stopping. Retry: another replica, or this one once restarted, will answer.",
            "server_error", null, "shutting_down");
    private volatile boolean stopping;

    void onStart(@Observes StartupEvent start) {
        // The JVM runs its shutdown hooks together: this flag is up while Quarkus waits for requests in flight.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopping = true, "gateway-draining"));
    }

    /** From SIGTERM on: readiness says so, and load balancers stop sending. */
    public boolean stopping() {
        return stopping;
    }

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            if (stopping && !rc.normalizedPath().startsWith("/q/")) {
                rc.response().putHeader("retry-after", "1").putHeader("connection", "close");
                UnmatchedRequests.fail(rc, 503, STOPPING);
                return;
            }
            rc.next();
        }, 900);
    }
}
