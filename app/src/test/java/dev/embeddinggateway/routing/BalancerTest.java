package dev.embeddinggateway.routing;

import dev.embeddinggateway.config.Routing;
import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.EmbeddingResult;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.ModelInfo;
import dev.embeddinggateway.core.Tokens;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The order each strategy gives, turn by turn: the pick first, the others after it in configured order. */
class BalancerTest {
    private static final EmbeddingProvider A = named("a");
    private static final EmbeddingProvider B = named("b");
    private static final EmbeddingProvider C = named("c");
    private static final List<EmbeddingProvider> ALL = List.of(A, B, C);

    private static String firsts(Balancer balancer, int turns) {
        return IntStream.range(0, turns).mapToObj(i -> balancer.order(ALL).get(0).name()).reduce("", String::concat);
    }

    @Test
    void fallbackKeepsTheConfiguredOrder() {
        assertThat(Balancer.fallback(new ProviderLoad()).order(ALL)).containsExactly(A, B, C);
    }

    @Test
    void roundRobinAndWeightedTakeTurnsAndKeepTheRestForFailover() {
        Balancer roundRobin = new Balancer(Routing.ROUND_ROBIN, Map.of(), new ProviderLoad());
        assertThat(firsts(roundRobin, 6)).isEqualTo("abcabc");
        assertThat(roundRobin.order(ALL)).containsExactly(A, B, C);
        assertThat(roundRobin.order(ALL)).containsExactly(B, A, C);
        assertThat(firsts(new Balancer(Routing.WEIGHTED, Map.of("a", 3, "c", 2), new ProviderLoad()), 12))
                .isEqualTo("aaabccaaabcc");
    }

    @Test
    void leastBusyPicksTheFewestInFlightAndSharesAmongEquals() {
        ProviderLoad load = new ProviderLoad();
        Balancer leastBusy = new Balancer(Routing.LEAST_BUSY, Map.of(), load);
        load.started("a");
        load.started("b");
        assertThat(firsts(leastBusy, 3)).isEqualTo("ccc");
        load.started("c");
        assertThat(firsts(leastBusy, 3)).isEqualTo("abc");
    }

    @Test
    void latencyMeasuresEachOnceThenPrefersTheFastestAndExplores() {
        ProviderLoad load = new ProviderLoad();
        Balancer latency = new Balancer(Routing.LATENCY, Map.of(), load);
        assertThat(latency.order(ALL).get(0)).isEqualTo(A);
        load.started("a"); // a's first call is under way: the next unmeasured one is tried, a is not flooded
        assertThat(latency.order(ALL).get(0)).isEqualTo(B);
        load.answered("a", 300_000_000);
        load.ended("a");
        load.answered("b", 5_000_000);
        load.answered("c", 50_000_000);
        String firsts = firsts(latency, 20);
        assertThat(firsts.chars().filter(c -> c == 'b').count()).isEqualTo(18);
        assertThat(firsts).contains("a").contains("c");
    }

    private static EmbeddingProvider named(String name) {
        return new EmbeddingProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<ModelInfo> models() {
                return List.of();
            }

            @Override
            public CompletionStage<List<Tokens>> tokenize(String model, List<Input> inputs) {
                throw new UnsupportedOperationException("only ordered here");
            }

            @Override
            public CompletionStage<EmbeddingResult> embed(EmbeddingRequest request) {
                throw new UnsupportedOperationException("only ordered here");
            }
        };
    }
}
