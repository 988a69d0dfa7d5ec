package dev.embeddinggateway.provider.onnx;

import ai.onnxruntime.OrtException;
import dev.embeddinggateway.core.Cl100k;
import dev.embeddinggateway.core.Embedding;
import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.EmbeddingResult;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.ModelInfo;
import dev.embeddinggateway.core.ProviderException;
import dev.embeddinggateway.core.ProviderFailedException;
import dev.embeddinggateway.core.Vectors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * A local model run in-process. Work runs on the instance's own inference thread: one inference at a time,
 * each using all the intra-op threads, is what ONNX Runtime does fastest on a CPU; callers never block.
 */
final class OnnxEmbeddingProvider implements EmbeddingProvider {
    private final String name;
    private final ModelInfo model;
    private final ModelTokenizer tokenizer;
    private final OnnxEncoder encoder;
    private final ExecutorService inference;

    OnnxEmbeddingProvider(String name, ModelInfo model, ModelTokenizer tokenizer, OnnxEncoder encoder) {
        this.name = name;
        this.model = model;
        this.tokenizer = tokenizer;
        this.encoder = encoder;
        this.inference = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "onnx-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ModelInfo> models() {
        return List.of(model);
    }

    @Override
    public int countTokens(String modelId, Input input) {
        return tokenizer.tokenize(List.of(text(input, 0))).get(0).length();
    }

    @Override
    public CompletionStage<EmbeddingResult> embed(EmbeddingRequest request) {
        return CompletableFuture.supplyAsync(() -> embedNow(request), inference);
    }

    private EmbeddingResult embedNow(EmbeddingRequest request) {
        List<Input> inputs = request.inputs();
        List<String> texts = IntStream.range(0, inputs.size()).mapToObj(i -> text(inputs.get(i), i)).toList();
        List<TokenSequence> tokens = tokenizer.tokenize(texts);

        // Every input is checked against the long-input policy before any inference runs.
        List<List<long[]>> windows = new ArrayList<>(inputs.size());
        List<long[]> sequences = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            List<long[]> fitted = tokens.get(i).fit(model.maxInputTokens(), request.longInput(), i, model.id());
            windows.add(fitted);
            sequences.addAll(fitted);
        }

        float[][] vectors;
        try {
            vectors = encoder.encode(sequences);
        } catch (OrtException | RuntimeException e) {
            throw new ProviderFailedException("provider " + name + ": inference failed: " + e.getMessage(),
                    ProviderFailedException.Reason.UNAVAILABLE, e);
        }

        List<Embedding> embeddings = new ArrayList<>(inputs.size());
        int next = 0;
        for (List<long[]> inputWindows : windows) {
            int count = inputWindows.size();
            int[] lengths = inputWindows.stream().mapToInt(w -> w.length).toArray();
            float[] vector = count == 1 ? vectors[next]
                    : Vectors.weightedMean(Arrays.copyOfRange(vectors, next, next + count), lengths);
            next += count;
            embeddings.add(new Embedding(Vectors.truncate(vector, request.dimensions()), IntStream.of(lengths).sum()));
        }
        return new EmbeddingResult(embeddings);
    }

    private static String text(Input input, int index) {
        return input instanceof Input.TokenIds ids ? Cl100k.decode(ids.ids(), index) : ((Input.Text) input).text();
    }

    @Override
    public void close() {
        // Let the inference under way finish: closing a session that is running would crash the process.
        inference.shutdown();
        try {
            inference.awaitTermination(30, TimeUnit.SECONDS);
            encoder.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (OrtException e) {
            // The process is ending; nothing to recover.
        }
        tokenizer.close();
    }
}
