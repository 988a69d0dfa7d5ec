package dev.embeddinggateway.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A light load generator: N clients on N keep-alive connections, each sending its next request as soon as the
 * last is answered, for a fixed time or number of requests. It runs on one Vert.x event loop: on a 2-core
 * machine the generator shares the cores with the gateway, so it must cost little (the JDK's HTTP client cost
 * more per request than the gateway's whole cached path).
 */
final class LoadClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setUseDaemonThread(true));
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
        return run(bodies, clients, System.nanoTime() + duration.toNanos(), Integer.MAX_VALUE, noStore);
    }

    /** Exactly {@code total} requests, however long they take. */
    Result run(List<String> bodies, int clients, int total, boolean noStore) {
        return run(bodies, clients, Long.MAX_VALUE, total, noStore);
    }

    private Result run(List<String> bodies, int clients, long end, int total, boolean noStore) {
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(clients));
        List<Buffer> buffers = bodies.stream().map(Buffer::buffer).toList();
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost())
                .setPort(uri.getPort()).setURI(uri.getRawPath()).putHeader("content-type", "application/json");
        if (noStore) {
            request.putHeader("cache-control", "no-store");
        }
        AtomicInteger next = new AtomicInteger();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            running.add(done);
            vertx.runOnContext(v -> loop(http, request, buffers, next, latencies, end, total, done));
        }
        try {
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        } finally {
            http.close();
        }
        return new Result(latencies.size(), (System.nanoTime() - start) / 1e9, List.copyOf(latencies));
    }

    private void loop(HttpClient http, RequestOptions request, List<Buffer> bodies, AtomicInteger next,
                      List<Long> latencies, long end, int total, CompletableFuture<Void> done) {
        int number = next.getAndIncrement();
        if (number >= total || System.nanoTime() >= end) {
            done.complete(null);
            return;
        }
        Buffer body = bodies.get(Math.floorMod(number, bodies.size()));
        long sent = System.nanoTime();
        http.request(request).compose(r -> r.send(body)).compose(response -> response.statusCode() == 200
                        ? response.body() : Future.failedFuture(uri + " answered HTTP " + response.statusCode()))
                .onSuccess(answer -> {
                    latencies.add(System.nanoTime() - sent);
                    loop(http, request, bodies, next, latencies, end, total, done);
                })
                .onFailure(done::completeExceptionally);
    }

    @Override
    public void close() {
        vertx.close();
    }
}
