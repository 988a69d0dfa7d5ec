package dev.embeddinggateway.routing;

import dev.embeddinggateway.auth.ServedModels;
import jakarta.enterprise.context.ApplicationScoped;

/** The models the router has a route for, or will have once their provider has started. */
@ApplicationScoped
public class RoutedModels implements ServedModels {
    private final ProviderRouter router;

    public RoutedModels(ProviderRouter router) {
        this.router = router;
    }

    @Override
    public boolean serves(String model) {
        return router.routes().find(model).isPresent() || router.routes().waiting(model).isPresent();
    }
}
