package dev.embeddinggateway.api;

import dev.embeddinggateway.http.Draining;
import dev.embeddinggateway.routing.ProviderRouter;
import dev.embeddinggateway.usage.UsageLedger;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready = this replica can serve: its providers are started (local models loaded, which happens before the first
 * answer), its request path is warmed up ({@link StartupWarmUp}), it is not draining, and usage is kept (written,
 * or buffered with room). Never an upstream's state and never a paid call: provider states are at
 * {@code /q/health/group/providers}.
 */
@Readiness
@ApplicationScoped
public class ReplicaReadiness implements HealthCheck {
    private final ProviderRouter router;
    private final Draining draining;
    private final UsageLedger ledger;
    private final StartupWarmUp warmUp;

    public ReplicaReadiness(ProviderRouter router, Draining draining, UsageLedger ledger, StartupWarmUp warmUp) {
        this.router = router;
        this.draining = draining;
        this.ledger = ledger;
        this.warmUp = warmUp;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("replica").status(warmUp.finished() && !draining.stopping() && ledger.keeping())
                .withData("models", router.routes().all().size())
                .withData("warmed-up", warmUp.finished())
                .withData("draining", draining.stopping())
                .withData("usage", ledger.state())
                .build();
    }
}
