package dev.embeddinggateway.usage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.TimeUnit;

/** The Prometheus meters of served requests: {@code gateway_requests_total}, tokens, provider latency. */
@ApplicationScoped
public class UsageMeters {
    private final MeterRegistry registry;

    public UsageMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    public void served(String provider, String model, int inputTokens, long latencyNanos) {
        Counter.builder("gateway.requests").description("Embedding requests served")
                .tag("provider", provider).tag("model", model).register(registry).increment();
        Counter.builder("gateway.input.tokens").description("Input tokens, as the model's tokenizer counts them")
                .tag("provider", provider).tag("model", model).register(registry).increment(inputTokens);
        Timer.builder("gateway.provider.latency").description("Time the provider took to answer")
                .tag("provider", provider).tag("model", model).register(registry)
                .record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    public void failed(String provider, String model) {
        Counter.builder("gateway.provider.failures").description("Provider calls that failed (after the provider's own retries)")
                .tag("provider", provider).tag("model", model).register(registry).increment();
    }
}
