package dev.embeddinggateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.LongInputPolicy;
import dev.embeddinggateway.provider.onnx.OnnxProviderFactory;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * One run, one table: every performance figure of the gateway with its goal, measured side by side on this
 * machine (ratios are the figures; absolute numbers depend on the machine). The reference for local inference
 * is {@link PlainOnnxRuntime}, the best plain use of ONNX Runtime for the same model on the committed corpus
 * (src/bench/corpus.txt: English and Chinese, a few to ~200 tokens). The remote hop is measured with a Node
 * client against a Node upstream, beside Portkey's open-source gateway when it is installed
 * ({@code npm ci --prefix src/bench/node}).
 *
 * <p>Run from the project root after {@code mvn -B package -DskipTests}:
 * {@code java -cp "src/bench/target/gateway-bench.jar:src/bench/target/lib/*" dev.embeddinggateway.bench.Benchmark [seconds per phase]}.
 * {@code -Dbench.gateway.java=<java>} and {@code -Dbench.gateway.jvm-options="..."} choose the gateway's JVM.
 */
public final class Benchmark {
    private static final String MODEL = "all-minilm-l6-v2";
    private static final int BATCH = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Duration phase = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 15);
        List<String> corpus = Files.readAllLines(Path.of("src/bench/corpus.txt")).stream().filter(l -> !l.isBlank()).toList();
        double plain;
        float[][] plainVectors;
        String corpusFacts;
        try (PlainOnnxRuntime reference = new PlainOnnxRuntime()) {
            plain = reference.bestTextsPerSecond(corpus, phase, 512, 1024, 2048);
            plainVectors = reference.embedAll(corpus, 1024);
            int[] lengths = reference.lengths(corpus);
            corpusFacts = String.format("%d texts, English and Chinese, %d to %d tokens, median %d",
                    corpus.size(), lengths[0], lengths[lengths.length - 1], lengths[lengths.length / 2]);
        }
        Table table = new Table(String.format("Embedding Gateway benchmark (%d cores; corpus: %s; %s s a phase)",
                Runtime.getRuntime().availableProcessors(), corpusFacts, phase.toSeconds()));
        String vsPlain = "%.2f× (%.0f vs %.0f texts/s)";

        double provider = providerInProcess(corpus, phase);
        double langChain4j = langChain4j(corpus, phase);

        try (NodeScripts.Server upstream = NodeScripts.upstream(0);
             NodeScripts.Server slowUpstream = NodeScripts.upstream(200);
             GatewayUnderTest gateway = GatewayUnderTest.start(Map.ofEntries(Map.entry("gateway.providers.local.type", "onnx"),
                     Map.entry("gateway.providers.local.model", MODEL),
                     Map.entry("gateway.providers.fake.type", "openai"),
                     Map.entry("gateway.providers.fake.base-url", upstream.baseUrl()),
                     Map.entry("gateway.providers.slow.type", "openai"),
                     Map.entry("gateway.providers.slow.base-url", slowUpstream.baseUrl()),
                     Map.entry("gateway.models.\"" + MODEL + "\".providers", "local"),
                     Map.entry("gateway.models.\"fake-remote\".providers", "fake"),
                     Map.entry("gateway.models.\"fake-remote\".dimensions", "8"),
                     Map.entry("gateway.models.\"slow-remote\".providers", "slow"),
                     Map.entry("gateway.models.\"slow-remote\".dimensions", "8"),
                     Map.entry("quarkus.http.access-log.enabled", "false")));
             LoadClient client = new LoadClient(gateway.url("/v1/embeddings"))) {
            long idleMegabytes = gateway.residentMegabytes();
            double cosine = minCosine(gateway, corpus, plainVectors);

            List<String> batches = new ArrayList<>();
            for (int i = 0; i + BATCH <= corpus.size(); i += BATCH) {
                batches.add(LoadClient.body(MODEL, corpus.subList(i, i + BATCH)));
            }
            client.run(batches, 4, Duration.ofSeconds(5), true); // warm-up
            double batched = client.run(batches, 4, phase, true).requestsPerSecond() * BATCH;
            table.row("1. local model, 4 clients × 32 texts, cache off, vs plain ORT",
                    String.format(vsPlain, batched / plain, batched, plain), "≥ 0.90×", batched / plain >= 0.9);
            table.context("   the gateway's provider in-process, same load, vs plain ORT",
                    String.format(vsPlain, provider / plain, provider, plain));
            table.context("   LangChain4j in-process (truncates at 128 tokens), vs plain ORT",
                    String.format(vsPlain, langChain4j / plain, langChain4j, plain));
            table.context("   vectors: lowest cosine, gateway vs plain ORT, whole corpus", String.format("%.6f", cosine));

            List<String> singles = corpus.stream().map(t -> LoadClient.body(MODEL, List.of(t))).toList();
            double concurrent = client.run(singles, 32, phase, true).requestsPerSecond();
            table.row("2. local model, 32 concurrent single-text clients, vs plain ORT",
                    String.format(vsPlain, concurrent / plain, concurrent, plain), "≥ 0.80×", concurrent / plain >= 0.8);

            remoteHop(table, gateway, upstream);

            List<String> slow = singles.stream().map(b -> b.replace("\"" + MODEL + "\"", "\"slow-remote\"")).toList();
            client.run(slow, 64, Duration.ofSeconds(3), true);
            LoadClient.Result throughput = client.run(slow, 64, phase, true);
            table.row("4. one OpenAI-compatible provider, 64 clients, upstream 200 ms",
                    String.format("%.0f requests/s (p50 %.0f ms)", throughput.requestsPerSecond(), throughput.p50Millis()),
                    "≥ 290 requests/s", throughput.requestsPerSecond() >= 290);

            client.run(singles, 1, Duration.ofSeconds(3), false); // fills the cache
            LoadClient.Result cached16 = client.run(singles, 16, phase, false);
            table.row("5. cached single text, 16 concurrent keep-alive clients",
                    String.format("%.0f requests/s (p50 %.2f ms)", cached16.requestsPerSecond(), cached16.p50Millis()),
                    "≥ 5,000 requests/s", cached16.requestsPerSecond() >= 5000);
            LoadClient.Result cached1 = client.run(singles, 1, phase, false);
            table.context("   cached single text, 1 client, warm",
                    String.format("p50 %.2f ms, p99 %.2f ms", cached1.p50Millis(), cached1.p99Millis()));
            table.context("7. gateway resident memory: idle / after the run",
                    String.format("%d MiB / %d MiB", idleMegabytes, gateway.residentMegabytes()));
        }
        coldStart(table, corpus);
        gpu(table, corpus, phase);
        System.out.println(table);
    }

    /** The same Node client, straight to the Node upstream, through the gateway, and through Portkey. */
    private static void remoteHop(Table table, GatewayUnderTest gateway, NodeScripts.Server upstream) throws Exception {
        String body = "{\"model\":\"fake-remote\",\"input\":[\"How do I reset my password?\"]}";
        Map<String, String> noStore = Map.of("cache-control", "no-store");
        double direct = NodeScripts.latency(upstream.baseUrl() + "/embeddings", body, Map.of(), 1000, 3000).get("p50").asDouble();
        JsonNode through = NodeScripts.latency(gateway.url("/v1/embeddings"), body, noStore, 3000, 3000);
        double added = through.get("p50").asDouble() - direct;
        String figure = "3. p50 added in front of a Node upstream, Node client, no cache";
        String measured = String.format("%.2f ms (direct %.2f, via gateway %.2f)", added, direct, through.get("p50").asDouble());
        if (!NodeScripts.portkeyInstalled()) {
            table.row(figure, measured, "≤ 1 ms", added <= 1);
            table.context("   Portkey: not installed", "npm ci --prefix src/bench/node");
            return;
        }
        try (NodeScripts.Server portkey = NodeScripts.portkey()) {
            double viaPortkey = NodeScripts.latency(portkey.baseUrl() + "/embeddings", body, Map.of(
                    "x-portkey-provider", "openai", "x-portkey-custom-host", upstream.baseUrl(),
                    "authorization", "Bearer bench"), 3000, 3000).get("p50").asDouble();
            double portkeyAdded = viaPortkey - direct;
            table.row(figure, measured, "≤ 1 ms and ≤ 0.5× Portkey's", added <= 1 && added <= 0.5 * portkeyAdded);
            table.context("   Portkey OSS gateway 1.9.8, same client and upstream",
                    String.format("%.2f ms added (via Portkey %.2f)", portkeyAdded, viaPortkey));
        }
    }

    /** A fresh gateway: seconds to ready, then the first 300 requests for one cached text, one client. */
    private static void coldStart(Table table, List<String> corpus) throws Exception {
        try (GatewayUnderTest fresh = GatewayUnderTest.start(Map.of("quarkus.http.access-log.enabled", "false"));
             LoadClient client = new LoadClient(fresh.url("/v1/embeddings"))) {
            LoadClient.Result first = client.run(List.of(LoadClient.body(MODEL, List.of(corpus.get(0)))), 1, 300, false);
            table.row("6. cold start: first 300 requests (one cached text) after ready",
                    String.format("p50 %.2f ms, p99 %.2f ms; ready in %.1f s", first.p50Millis(), first.p99Millis(),
                            fresh.secondsToReady()), "p50 ≤ 2 ms", first.p50Millis() <= 2);
        }
    }

    /** The CUDA build (-Pgpu) on a machine with an NVIDIA GPU: texts/s on short texts; else why not. */
    private static void gpu(Table table, List<String> corpus, Duration phase) {
        List<String> shortTexts = corpus.stream().map(t -> t.length() > 40 ? t.substring(0, 40) : t).toList();
        try (EmbeddingProvider cuda = new OnnxProviderFactory().create("cuda",
                Map.of("model", MODEL, "execution-provider", "cuda", "max-batch-tokens", "65536"))) {
            List<String> big = IntStream.range(0, 1024).mapToObj(i -> shortTexts.get(i % shortTexts.size())).toList();
            double rate = measure(big, phase, 1024, 4, batch -> embed(cuda, batch));
            table.row("8. GPU (CUDA build), short texts", String.format("%.0f texts/s", rate), "≥ 20,000 texts/s",
                    rate >= 20_000);
        } catch (RuntimeException unavailable) {
            table.row("8. GPU (CUDA build), short texts", "not measured: no CUDA build or GPU in this run",
                    "≥ 20,000 texts/s", null);
        }
    }

    /** The gateway's own local provider called directly by 4 callers: what HTTP and routing must not lose. */
    private static double providerInProcess(List<String> corpus, Duration phase) throws Exception {
        try (EmbeddingProvider provider = new OnnxProviderFactory().create("in-process", Map.of("model", MODEL))) {
            return measure(corpus, phase, BATCH, 4, batch -> embed(provider, batch));
        }
    }

    /** Tokenized, then embedded, as the gateway calls its provider: the counts in between are of no use here. */
    private static void embed(EmbeddingProvider provider, List<String> batch) {
        List<Input> inputs = batch.stream().map(t -> (Input) new Input.Text(t)).toList();
        provider.tokenize(MODEL, inputs).thenCompose(tokens -> provider.embed(
                new EmbeddingRequest(MODEL, inputs, tokens, 384, LongInputPolicy.TRUNCATE, null))).toCompletableFuture().join();
    }

    private static double langChain4j(List<String> corpus, Duration phase) {
        AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
        return measure(corpus, phase, BATCH, 1, batch -> model.embedAll(batch.stream().map(TextSegment::from).toList()));
    }

    /** Texts per second of {@code callers} threads each embedding consecutive batches of the corpus. */
    private static double measure(List<String> corpus, Duration phase, int batchSize, int callers, Consumer<List<String>> embed) {
        embed.accept(corpus.subList(0, batchSize));
        long start = System.nanoTime();
        long end = start + phase.toNanos();
        List<CompletableFuture<Long>> running = IntStream.range(0, callers).mapToObj(c -> CompletableFuture.supplyAsync(() -> {
            long texts = 0;
            for (int i = c * batchSize % corpus.size(); System.nanoTime() < end; i = (i + batchSize) % corpus.size()) {
                List<String> batch = new ArrayList<>(batchSize);
                for (int j = 0; j < batchSize; j++) {
                    batch.add(corpus.get((i + j) % corpus.size()));
                }
                embed.accept(batch);
                texts += batchSize;
            }
            return texts;
        }, runnable -> new Thread(runnable).start())).toList();
        long texts = running.stream().mapToLong(CompletableFuture::join).sum();
        return texts / ((System.nanoTime() - start) / 1e9);
    }

    /** The gateway must give the vectors the plain reference gives: else the comparison is not fair. */
    private static double minCosine(GatewayUnderTest gateway, List<String> corpus, float[][] reference) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/embeddings")))
                .header("content-type", "application/json").header("cache-control", "no-store")
                .POST(HttpRequest.BodyPublishers.ofString(LoadClient.body(MODEL, corpus))).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode data = JSON.readTree(response.body()).get("data");
        double lowest = 1;
        for (int i = 0; i < corpus.size(); i++) {
            JsonNode vector = data.get(i).get("embedding");
            double dot = 0;
            for (int d = 0; d < vector.size(); d++) {
                dot += vector.get(d).asDouble() * reference[i][d];
            }
            lowest = Math.min(lowest, dot);
        }
        return lowest;
    }
}
