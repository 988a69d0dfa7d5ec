package dev.embeddinggateway.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The soak: the packaged gateway (local model, memory cache capped at 20,000 vectors) at saturation for a
 * number of minutes, half the requests repeating a small set of texts (cache hits), half new texts (misses
 * that fill the cache until it evicts). Every request must succeed (the client stops on the first error);
 * each minute prints throughput, latency and the gateway's resident memory, which must level off.
 *
 * <pre>java -cp "src/bench/target/gateway-bench.jar:src/bench/target/lib/*" dev.embeddinggateway.bench.Soak 10</pre>
 */
public final class Soak {
    private static final int CLIENTS = 16;

    public static void main(String[] args) throws Exception {
        int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<String> corpus = Files.readAllLines(Path.of("src/bench/corpus.txt")).stream().filter(l -> !l.isBlank()).toList();
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of(
                "gateway.cache.max-entries", "20000",
                "quarkus.http.access-log.enabled", "false"));
             LoadClient client = new LoadClient(gateway.url("/v1/embeddings"))) {
            System.out.printf("soak: %d clients, %d minutes, %d cores%n", CLIENTS, minutes, Runtime.getRuntime().availableProcessors());
            System.out.println("minute  requests/s  p50 ms  p99 ms  resident MiB");
            long total = 0;
            for (int minute = 1; minute <= minutes; minute++) {
                LoadClient.Result result = client.run(mix(corpus, minute), CLIENTS, Duration.ofMinutes(1), false);
                total += result.requests();
                System.out.printf("%6d  %10.1f  %6.2f  %6.2f  %12d%n", minute, result.requestsPerSecond(),
                        result.p50Millis(), result.p99Millis(), gateway.residentMegabytes());
            }
            System.out.printf("soak: %d requests, 0 errors%n", total);
        }
    }

    /** Alternating: a text of the corpus as it is (a hit after its first time), and one never sent before. */
    private static List<String> mix(List<String> corpus, int round) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String text = corpus.get(i % corpus.size());
            bodies.add(LoadClient.body("all-minilm-l6-v2", List.of(i % 2 == 0 ? text : text + " #" + round + "." + i)));
        }
        return bodies;
    }
}
