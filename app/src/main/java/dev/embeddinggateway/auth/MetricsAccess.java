package dev.embeddinggateway.auth;

import dev.embeddinggateway.config.GatewayConfig;
import dev.embeddinggateway.http.ApiException;
import dev.embeddinggateway.http.UnmatchedRequests;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.security.MessageDigest;
import java.util.Optional;

/**
 * {@code /q/metrics} shows every team's usage and spend: once any key exists it answers only the metrics token
 * ({@code gateway.metrics.token-sha256}, for Prometheus) or the admin key. On the management port (a build
 * option) it is not filtered: that port belongs to a private network.
 */
@ApplicationScoped
public class MetricsAccess {
    private static final String METRICS = "/q/metrics";
    private final Authenticator authenticator;
    private final Optional<byte[]> token;

    public MetricsAccess(GatewayConfig config, Authenticator authenticator) {
        this.authenticator = authenticator;
        this.token = config.metrics().tokenSha256().map(h -> Sha256.parseHex(h, "gateway.metrics.token-sha256"));
    }

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String path = rc.normalizedPath();
            if (authenticator.on() && (path.equals(METRICS) || path.startsWith(METRICS + "/"))) {
                check(rc);
            } else {
                rc.next();
            }
        }, 800);
    }

    private void check(RoutingContext rc) {
        String authorization = rc.request().getHeader("Authorization");
        if (token.isPresent() && MessageDigest.isEqual(token.get(), Sha256.of(Authenticator.bearer(authorization)))) {
            rc.next();
            return;
        }
        try {
            if (!authenticator.caller(authorization, rc.request().remoteAddress().hostAddress()).admin()) {
                throw Authenticator.refused(403, "/q/metrics takes the metrics token or the admin key only.",
                        "metrics_token_required");
            }
            rc.next();
        } catch (ApiException refused) {
            UnmatchedRequests.fail(rc, refused);
        }
    }
}
