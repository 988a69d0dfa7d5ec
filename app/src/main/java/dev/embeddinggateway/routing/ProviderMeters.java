package dev.embeddinggateway.routing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Per provider call: {@code gateway_provider_latency_seconds} and {@code gateway_provider_failures_total}. */
@ApplicationScoped
public class ProviderMeters {
    private final MeterRegistry registry;

    public ProviderMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void answered(String provider, String model, long latencyNanos) {
        // Buckets, so that Prometheus (and the Grafana board) can compute p50/p99 across replicas.
        Timer.builder("gateway.provider.latency").description("Time the provider took to answer")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60)).tag("provider", provider).tag("model", model).register(registry)
                .record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    void failed(String provider, String model) {
        Counter.builder("gateway.provider.failures").description("Provider calls that failed (after the provider's own retries)")
                .tag("provider", provider).tag("model", model).register(registry).increment();
    }
}
