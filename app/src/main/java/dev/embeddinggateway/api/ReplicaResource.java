package dev.embeddinggateway.api;

import dev.embeddinggateway.routing.ProviderHealth;
import dev.embeddinggateway.routing.ProviderMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.health.api.HealthGroup;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /admin/replica}: what this replica has seen since it started, for the dashboard: each provider's state,
 * calls, error rate and latency (p50/p99 of the last minutes), and the requests its limits refused, by key and limit.
 * Across replicas, Prometheus and the Grafana board have the same meters.
 */
@Path("/admin/replica")
@Produces(MediaType.APPLICATION_JSON)
public class ReplicaResource {
    private final ProviderMeters meters;
    private final ProviderHealth health;
    private final MeterRegistry registry;

    public ReplicaResource(ProviderMeters meters, @HealthGroup("providers") ProviderHealth health, MeterRegistry registry) {
        this.meters = meters;
        this.health = health;
        this.registry = registry;
    }

    @GET
    public Map<String, Object> replica() {
        Map<String, String> states = health.states();
        List<Map<String, Object>> providers = new ArrayList<>();
        for (ProviderMeters.Stats s : meters.stats()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("provider", s.provider());
            row.put("model", s.model());
            row.put("state", states.getOrDefault(s.provider(), "unknown"));
            row.put("answered", s.answered());
            row.put("failed", s.failed());
            row.put("error_rate", s.errorRate());
            row.put("p50_ms", Double.isNaN(s.p50Millis()) ? null : s.p50Millis());
            row.put("p99_ms", Double.isNaN(s.p99Millis()) ? null : s.p99Millis());
            providers.add(row);
        }
        List<Map<String, Object>> refused = new ArrayList<>();
        for (Counter c : registry.find("gateway.rate.limited.requests").counters()) {
            refused.add(Map.of("key", c.getId().getTag("key"), "team", c.getId().getTag("team"),
                    "limit", c.getId().getTag("limit"), "model", c.getId().getTag("model"), "requests", (long) c.count()));
        }
        refused.sort(Comparator.comparing((Map<String, Object> r) -> (Long) r.get("requests")).reversed());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("provider_states", states);
        answer.put("providers", providers);
        answer.put("rate_limited", refused);
        return answer;
    }
}
