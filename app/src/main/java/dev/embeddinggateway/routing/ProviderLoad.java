package dev.embeddinggateway.routing;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What this replica sees of each provider instance right now: its calls in flight, and its recent latency (an
 * exponentially weighted mean of its answered calls, the last one weighing a fifth), for the balancing strategies.
 */
final class ProviderLoad {
    private static final double WEIGHT_OF_LAST = 0.2;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Double> latencyMillis = new ConcurrentHashMap<>();

    void started(String provider) {
        counter(provider).incrementAndGet();
    }

    void ended(String provider) {
        counter(provider).decrementAndGet();
    }

    void answered(String provider, long nanos) {
        double millis = nanos / 1e6;
        latencyMillis.merge(provider, millis, (mean, last) -> mean + WEIGHT_OF_LAST * (last - mean));
    }

    int inFlight(String provider) {
        return counter(provider).get();
    }

    /** Empty until the provider has answered a call. */
    OptionalDouble latencyMillis(String provider) {
        Double mean = latencyMillis.get(provider);
        return mean == null ? OptionalDouble.empty() : OptionalDouble.of(mean);
    }

    private AtomicInteger counter(String provider) {
        return inFlight.computeIfAbsent(provider, p -> new AtomicInteger());
    }
}
