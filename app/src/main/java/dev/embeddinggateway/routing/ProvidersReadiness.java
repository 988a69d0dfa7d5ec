package dev.embeddinggateway.routing;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.ModelInfo;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Ready when every provider instance embeds a probe text: a loaded model, a reachable upstream. */
@Readiness
@ApplicationScoped
public class ProvidersReadiness implements HealthCheck {
    private static final long PROBE_TIMEOUT_SECONDS = 10;
    private final Gateway gateway;

    public ProvidersReadiness(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("providers").up();
        for (EmbeddingProvider provider : gateway.providers().values()) {
            String state = probe(provider);
            health.withData(provider.name(), state);
            if (!state.equals("up")) {
                health.down();
            }
        }
        return health.build();
    }

    private static String probe(EmbeddingProvider provider) {
        ModelInfo model = provider.models().get(0);
        try {
            provider.embed(new EmbeddingRequest(model.id(), List.of(new Input.Text("ready")), model.dimensions(),
                    model.longInput(), null)).toCompletableFuture().get(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return "up";
        } catch (Exception e) {
            return "down: " + e.getClass().getSimpleName();
        }
    }
}
