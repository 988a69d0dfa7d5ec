package dev.embeddinggateway.bench;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.LongInputPolicy;
import dev.embeddinggateway.provider.onnx.OnnxProviderFactory;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run, one table: the packaged gateway over HTTP against ONNX Runtime in-process (the gateway's own
 * local provider without HTTP) and LangChain4j's in-process all-MiniLM-L6-v2, on the committed corpus
 * (src/bench/corpus.txt: English and Chinese, 4 to 160 words). Ratios are the figures; absolute numbers
 * depend on the machine.
 *
 * <p>Run from the project root after {@code mvn -B package -DskipTests}:
 * {@code java -cp "src/bench/target/gateway-bench.jar:src/bench/target/lib/*" dev.embeddinggateway.bench.Benchmark [seconds per phase]}
 */
public final class Benchmark {
    private static final int BATCH = 32;

    public static void main(String[] args) throws Exception {
        Duration phase = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 15);
        List<String> corpus = Files.readAllLines(Path.of("src/bench/corpus.txt")).stream().filter(l -> !l.isBlank()).toList();
        Table table = new Table();

        double inProcess = inProcessTextsPerSecond(corpus, phase);
        double langChain4j = langChain4jTextsPerSecond(corpus, phase);

        try (FakeUpstream upstream = FakeUpstream.start(); GatewayUnderTest gateway = GatewayUnderTest.start(Map.of(
                "gateway.providers.local.type", "onnx",
                "gateway.providers.local.model", "all-minilm-l6-v2",
                "gateway.providers.fake.type", "openai",
                "gateway.providers.fake.base-url", upstream.baseUrl(),
                "gateway.providers.fake.max-retries", "0",
                "gateway.models.\"all-minilm-l6-v2\".providers", "local",
                "gateway.models.\"fake-remote\".providers", "fake",
                "gateway.models.\"fake-remote\".dimensions", Integer.toString(FakeUpstream.DIMENSIONS),
                "quarkus.http.access-log.enabled", "false"))) {
            LoadClient client = new LoadClient(gateway.url("/v1/embeddings"));
            List<String> batches = new ArrayList<>();
            for (int i = 0; i + BATCH <= corpus.size(); i += BATCH) {
                batches.add(LoadClient.body("all-minilm-l6-v2", corpus.subList(i, i + BATCH)));
            }
            client.run(batches, 1, Duration.ofSeconds(3), true); // warm-up
            LoadClient.Result batched = client.run(batches, 2, phase, true);
            double httpBatch = batched.requestsPerSecond() * BATCH;
            table.row("1. batches of 32, 2 clients, cache off (texts/s)", httpBatch, inProcess, "in-process ORT", "≥ 0.9");
            table.row("   same, against LangChain4j in-process (texts/s)", httpBatch, langChain4j, "LangChain4j", "≥ 1.3");

            List<String> singles = corpus.stream().map(t -> LoadClient.body("all-minilm-l6-v2", List.of(t))).toList();
            LoadClient.Result concurrent = client.run(singles, 32, phase, true);
            table.row("2. 32 concurrent single-text clients, cache off (texts/s)", concurrent.requestsPerSecond(), inProcess,
                    "in-process ORT", "≥ 0.8");

            client.run(singles, 1, Duration.ofSeconds(3), false); // fills the cache
            LoadClient.Result cached = client.run(singles, 1, phase, false);
            table.line(String.format("3. cached single text, 1 client: p50 %.2f ms, p99 %.2f ms, %.0f requests/s (target p50 ≤ 1 ms)",
                    cached.p50Millis(), cached.p99Millis(), cached.requestsPerSecond()));

            List<String> remote = singles.stream().map(b -> b.replace("\"all-minilm-l6-v2\"", "\"fake-remote\"")).toList();
            LoadClient direct = new LoadClient(upstream.baseUrl() + "/embeddings");
            direct.run(remote, 1, Duration.ofSeconds(2), true);
            LoadClient.Result directly = direct.run(remote, 1, phase, true);
            client.run(remote, 1, Duration.ofSeconds(2), true);
            LoadClient.Result through = client.run(remote, 1, phase, true);
            table.line(String.format("4. in front of a fake upstream, 1 client: added p50 %.2f ms, p99 %.2f ms "
                            + "(direct %.2f / %.2f ms, through the gateway %.2f / %.2f ms; target ≤ 1 ms median)",
                    through.p50Millis() - directly.p50Millis(), through.p99Millis() - directly.p99Millis(),
                    directly.p50Millis(), directly.p99Millis(), through.p50Millis(), through.p99Millis()));
            table.line(String.format("5. gateway resident memory after the run: %d MiB", gateway.residentMegabytes()));
        }
        System.out.println(table);
    }

    /** The gateway's own local provider, called directly: what HTTP and routing must not lose. */
    private static double inProcessTextsPerSecond(List<String> corpus, Duration phase) throws Exception {
        try (EmbeddingProvider provider = new OnnxProviderFactory().create("in-process",
                Map.of("model", "all-minilm-l6-v2"))) {
            return measure(corpus, phase, batch -> provider.tokenizeAndEmbed("all-minilm-l6-v2",
                    batch.stream().map(t -> (Input) new Input.Text(t)).toList(), 384, LongInputPolicy.TRUNCATE)
                    .toCompletableFuture().join());
        }
    }

    private static double langChain4jTextsPerSecond(List<String> corpus, Duration phase) {
        AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
        return measure(corpus, phase, batch -> model.embedAll(batch.stream().map(TextSegment::from).toList()));
    }

    /** Texts per second of {@code embed} over batches of 32 of the corpus, after a short warm-up. */
    private static double measure(List<String> corpus, Duration phase, java.util.function.Consumer<List<String>> embed) {
        for (int i = 0; i < 3; i++) {
            embed.accept(corpus.subList(0, BATCH));
        }
        long texts = 0;
        long start = System.nanoTime();
        long end = start + phase.toNanos();
        for (int i = 0; System.nanoTime() < end; i = (i + BATCH) % (corpus.size() - BATCH + 1)) {
            embed.accept(corpus.subList(i, i + BATCH));
            texts += BATCH;
        }
        return texts / ((System.nanoTime() - start) / 1e9);
    }
}
