package dev.embeddinggateway.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A light load generator: N clients, each sending its next request as soon as the last is answered, on the
 * JDK's asynchronous HTTP client (no thread per client), for a fixed time.
 */
final class LoadClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI uri;

    LoadClient(String url) {
        this.uri = URI.create(url);
    }

    static String body(String model, List<String> inputs) {
        try {
            return JSON.writeValueAsString(Map.of("model", model, "input", inputs));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    record Result(int requests, double seconds, List<Long> latenciesNanos) {
        double requestsPerSecond() {
            return requests / seconds;
        }

        double p50Millis() {
            return percentile(0.50);
        }

        double p99Millis() {
            return percentile(0.99);
        }

        private double percentile(double p) {
            List<Long> sorted = new ArrayList<>(latenciesNanos);
            Collections.sort(sorted);
            return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
        }
    }

    /** Every request must succeed: a benchmark of errors measures nothing. */
    Result run(List<String> bodies, int clients, Duration duration, boolean noStore) {
        long end = System.nanoTime() + duration.toNanos();
        AtomicInteger next = new AtomicInteger();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(loop(bodies, next, latencies, end, noStore));
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        return new Result(latencies.size(), (System.nanoTime() - start) / 1e9, List.copyOf(latencies));
    }

    private CompletableFuture<Void> loop(List<String> bodies, AtomicInteger next, List<Long> latencies, long end, boolean noStore) {
        if (System.nanoTime() >= end) {
            return CompletableFuture.completedFuture(null);
        }
        String body = bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size()));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (noStore) {
            request.header("cache-control", "no-store");
        }
        long sent = System.nanoTime();
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).thenCompose(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered HTTP " + response.statusCode());
            }
            latencies.add(System.nanoTime() - sent);
            return loop(bodies, next, latencies, end, noStore);
        });
    }
}
