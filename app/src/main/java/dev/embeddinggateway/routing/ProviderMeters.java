package dev.embeddinggateway.routing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Per provider call: {@code gateway_provider_latency_seconds} and {@code gateway_provider_failures_total}. */
@ApplicationScoped
public class ProviderMeters {
    private static final double MEDIAN = 0.5;
    private static final double P99 = 0.99;
    private final MeterRegistry registry;

    public ProviderMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void answered(String provider, String model, long latencyNanos) {
        // Buckets, so that Prometheus (and the Grafana board) can compute p50/p99 across replicas; and this
        // replica's own p50/p99 of the last minutes, for the dashboard.
        Timer.builder("gateway.provider.latency").description("Time the provider took to answer")
                .publishPercentileHistogram().publishPercentiles(MEDIAN, P99).minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60)).tag("provider", provider).tag("model", model).register(registry)
                .record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * What this replica saw of one provider for one model since it started: calls answered and failed, and the
     * latency of the answers of the last minutes.
     */
    public record Stats(String provider, String model, long answered, long failed, double p50Millis, double p99Millis) {
        public double errorRate() {
            return answered + failed == 0 ? 0 : (double) failed / (answered + failed);
        }
    }

    /** Every provider and model this replica has called, by provider then model. */
    public List<Stats> stats() {
        Map<List<String>, Stats> all = new TreeMap<>(Comparator.comparing((List<String> k) -> k.get(0))
                .thenComparing(k -> k.get(1)));
        for (Timer timer : registry.find("gateway.provider.latency").timers()) {
            Map<Double, Double> percentiles = new HashMap<>();
            for (ValueAtPercentile v : timer.takeSnapshot().percentileValues()) {
                percentiles.put(v.percentile(), v.value(TimeUnit.MILLISECONDS));
            }
            String provider = timer.getId().getTag("provider");
            String model = timer.getId().getTag("model");
            all.put(List.of(provider, model), new Stats(provider, model, timer.count(), failures(provider, model),
                    percentiles.getOrDefault(MEDIAN, Double.NaN), percentiles.getOrDefault(P99, Double.NaN)));
        }
        for (Counter failures : registry.find("gateway.provider.failures").counters()) {
            String provider = failures.getId().getTag("provider");
            String model = failures.getId().getTag("model");
            all.putIfAbsent(List.of(provider, model), new Stats(provider, model, 0, (long) failures.count(), Double.NaN,
                    Double.NaN));
        }
        return List.copyOf(all.values());
    }

    private long failures(String provider, String model) {
        Counter counter = registry.find("gateway.provider.failures").tag("provider", provider).tag("model", model).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    void failed(String provider, String model) {
        Counter.builder("gateway.provider.failures").description("Provider calls that failed (after the provider's own retries)")
                .tag("provider", provider).tag("model", model).register(registry).increment();
    }
}
