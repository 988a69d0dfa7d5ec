package dev.embeddinggateway.routing;

import dev.embeddinggateway.config.Routing;
import dev.embeddinggateway.core.EmbeddingProvider;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which of a model's providers a request tries first, by the model's routing strategy; the others follow in their
 * configured order, so every strategy fails over as {@code fallback} does. It only ever orders the providers of
 * the model's one route (one embedding space), and only those the caller offers (circuit closed).
 */
final class Balancer {
    /** One request in this many goes to a provider other than the fastest, so that a recovered one is seen. */
    static final int LATENCY_EXPLORATION = 10;

    private final Routing strategy;
    private final Map<String, Integer> weights;
    private final ProviderLoad load;
    private final AtomicLong turns = new AtomicLong();

    /** @param weights by provider name, for {@link Routing#WEIGHTED}; a provider not named weighs 1 */
    Balancer(Routing strategy, Map<String, Integer> weights, ProviderLoad load) {
        this.strategy = strategy;
        this.weights = Map.copyOf(weights);
        this.load = load;
    }

    static Balancer fallback(ProviderLoad load) {
        return new Balancer(Routing.FALLBACK, Map.of(), load);
    }

    /** {@code candidates} with the one this strategy picks first. */
    List<EmbeddingProvider> order(List<EmbeddingProvider> candidates) {
        if (strategy == Routing.FALLBACK || candidates.size() < 2) {
            return candidates;
        }
        long turn = turns.getAndIncrement();
        EmbeddingProvider first = switch (strategy) {
            case ROUND_ROBIN -> candidates.get((int) (turn % candidates.size()));
            case WEIGHTED -> weighted(candidates, turn);
            case LEAST_BUSY -> leastBusy(candidates, turn);
            case LATENCY -> fastest(candidates, turn);
            case FALLBACK -> candidates.get(0);
        };
        List<EmbeddingProvider> ordered = new ArrayList<>(candidates.size());
        ordered.add(first);
        candidates.stream().filter(p -> p != first).forEach(ordered::add);
        return ordered;
    }

    /** Turn {@code turn} of a cycle of the candidates' total weight: each gets as many turns as it weighs. */
    private EmbeddingProvider weighted(List<EmbeddingProvider> candidates, long turn) {
        long total = candidates.stream().mapToLong(this::weight).sum();
        long at = turn % total;
        for (EmbeddingProvider p : candidates) {
            at -= weight(p);
            if (at < 0) {
                return p;
            }
        }
        return candidates.get(0);
    }

    private int weight(EmbeddingProvider provider) {
        return weights.getOrDefault(provider.name(), 1);
    }

    /** The fewest calls in flight; among equals, by rotation, so that idle providers share the work. */
    private EmbeddingProvider leastBusy(List<EmbeddingProvider> candidates, long turn) {
        List<EmbeddingProvider> rotated = rotated(candidates, turn);
        return rotated.stream().min(Comparator.comparingInt(p -> load.inFlight(p.name()))).orElseThrow();
    }

    /**
     * The lowest recent latency. A provider not yet measured is tried when it has no call in flight (one call
     * measures it; a slow one is not flooded meanwhile), and every {@link #LATENCY_EXPLORATION}th request goes to
     * another by rotation, so that a slow one that recovered is noticed.
     */
    private EmbeddingProvider fastest(List<EmbeddingProvider> candidates, long turn) {
        List<EmbeddingProvider> rotated = rotated(candidates, turn);
        for (EmbeddingProvider p : rotated) {
            if (load.latencyMillis(p.name()).isEmpty() && load.inFlight(p.name()) == 0) {
                return p;
            }
        }
        List<EmbeddingProvider> measured = rotated.stream().filter(p -> load.latencyMillis(p.name()).isPresent()).toList();
        if (measured.isEmpty()) {
            return rotated.get(0);
        }
        EmbeddingProvider best = measured.stream()
                .min(Comparator.comparingDouble(p -> load.latencyMillis(p.name()).orElseThrow())).orElseThrow();
        if (turn % LATENCY_EXPLORATION == LATENCY_EXPLORATION - 1) {
            List<EmbeddingProvider> others = candidates.stream().filter(p -> p != best).toList();
            return others.get((int) (turn / LATENCY_EXPLORATION % others.size()));
        }
        return best;
    }

    private static List<EmbeddingProvider> rotated(List<EmbeddingProvider> candidates, long turn) {
        int shift = (int) (turn % candidates.size());
        List<EmbeddingProvider> rotated = new ArrayList<>(candidates.subList(shift, candidates.size()));
        rotated.addAll(candidates.subList(0, shift));
        return rotated;
    }
}
