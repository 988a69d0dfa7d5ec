package dev.embeddinggateway.routing;

import dev.embeddinggateway.core.AsyncFailures;
import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.Input;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Ready when every provider instance embeds a probe text (a loaded model, a reachable upstream), through
 * a model that is routed to it. A provider whose circuit is open is reported down without a call.
 */
@Readiness
@ApplicationScoped
public class ProvidersReadiness implements HealthCheck {
    private static final long PROBE_TIMEOUT_SECONDS = 10;
    private final ProviderRouter router;

    public ProvidersReadiness(ProviderRouter router) {
        this.router = router;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("providers").up();
        for (EmbeddingProvider provider : router.providers().values()) {
            String state = state(provider);
            health.withData(provider.name(), state);
            if (!state.equals("up") && !state.equals("unused")) {
                health.down();
            }
        }
        return health.build();
    }

    private String state(EmbeddingProvider provider) {
        if (!router.failover().allowsRequests(provider)) {
            return "down: circuit " + router.failover().circuitState(provider);
        }
        Optional<Route> route = router.routes().all().stream().filter(r -> r.providers().contains(provider)).findFirst();
        if (route.isEmpty()) {
            return "unused";
        }
        try {
            provider.tokenizeAndEmbed(route.get().upstreamModel(), List.of(new Input.Text("ready")),
                            route.get().info().dimensions(), route.get().longInput())
                    .toCompletableFuture().get(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return "up";
        } catch (Exception e) {
            Throwable cause = AsyncFailures.unwrap(e);
            return "down: " + cause.getMessage();
        }
    }
}
