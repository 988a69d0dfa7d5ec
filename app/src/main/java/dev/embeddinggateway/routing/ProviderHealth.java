package dev.embeddinggateway.routing;

import dev.embeddinggateway.config.GatewayConfig;
import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.support.AsyncFailures;
import dev.embeddinggateway.core.support.DaemonThreads;
import io.quarkus.runtime.Startup;
import io.smallrye.health.api.HealthGroup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What each provider instance can do, at {@code /q/health/group/providers}: from real traffic (its circuit breaker)
 * and from its free check ({@link EmbeddingProvider#check()}), run every
 * {@code gateway.health.provider-check-interval}. Never a paid call, and never part of readiness: an upstream's
 * outage is not this replica's, and pulling replicas out of the load balancer would not help. The group is DOWN
 * while some model has no provider that is up.
 */
@HealthGroup("providers")
@Startup
@ApplicationScoped
public class ProviderHealth implements HealthCheck {
    private static final String UNCHECKED = "not checked yet";
    private static final Duration RECHECK = Duration.ofMillis(500);
    private final ProviderRouter router;
    private final Map<String, String> checked = new ConcurrentHashMap<>();
    private final ScheduledExecutorService checker =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("provider-checks"));

    public ProviderHealth(ProviderRouter router, GatewayConfig config) {
        this.router = router;
        Duration interval = config.health().providerCheckInterval();
        if (!interval.isZero()) {
            checker.scheduleWithFixedDelay(this::checkAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void checkAll() {
        router.providers().values().forEach(provider -> check(provider, true));
    }

    /**
     * A failed check is tried once more after {@link #RECHECK} before the provider is called down: a pooled
     * connection the upstream closed while idle fails one call (HttpClosedException) without anything being down.
     */
    private void check(EmbeddingProvider provider, boolean mayRetry) {
        provider.check().whenComplete((ok, error) -> {
            if (error == null) {
                checked.put(provider.name(), "up");
            } else if (mayRetry && !checker.isShutdown()) {
                checker.schedule(() -> check(provider, false), RECHECK.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                checked.put(provider.name(), "down: " + AsyncFailures.unwrap(error).getMessage());
            }
        });
    }

    /** {@code up}, {@code down: <why>}, or {@code down: circuit open until …}. */
    String state(EmbeddingProvider provider) {
        if (!router.failover().allowsRequests(provider)) {
            return "down: circuit " + router.failover().circuitState(provider);
        }
        return checked.getOrDefault(provider.name(), UNCHECKED);
    }

    /** Each provider instance's state, by name. */
    public Map<String, String> states() {
        Map<String, String> states = new LinkedHashMap<>();
        router.providers().values().forEach(p -> states.put(p.name(), state(p)));
        return states;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("providers").up();
        states().forEach(health::withData);
        boolean everyModelServed = router.routes().all().stream()
                .allMatch(route -> route.providers().stream().map(this::state).anyMatch(s -> !s.startsWith("down")));
        return (everyModelServed ? health : health.down()).build();
    }

    @PreDestroy
    void stop() {
        checker.shutdownNow();
    }
}
