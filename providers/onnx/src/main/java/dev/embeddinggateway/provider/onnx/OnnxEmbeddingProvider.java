package dev.embeddinggateway.provider.onnx;

import ai.onnxruntime.OrtException;
import dev.embeddinggateway.core.Embedding;
import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.EmbeddingResult;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.ModelInfo;
import dev.embeddinggateway.core.ProviderException;
import dev.embeddinggateway.core.TokenizedText;
import dev.embeddinggateway.core.Tokens;
import dev.embeddinggateway.core.support.DaemonThreads;
import dev.embeddinggateway.core.support.Vectors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

/**
 * A local model run in-process. Tokenizing ({@link #tokenize}, once per request) runs on a small pool of the
 * instance's own; inference on its
 * {@link InferenceQueue}'s single thread, which runs everything waiting together in inference passes: one inference
 * at a time, each using all the intra-op threads, is what ONNX Runtime does fastest on a CPU. Callers never block.
 */
final class OnnxEmbeddingProvider implements EmbeddingProvider {
    private final String name;
    private final ModelInfo model;
    private final ModelTokenizer tokenizer;
    private final OnnxEncoder encoder;
    private final InferenceQueue queue;
    private final ExecutorService tokenizing;

    OnnxEmbeddingProvider(String name, ModelInfo model, ModelTokenizer tokenizer, OnnxEncoder encoder, InferenceQueue queue) {
        this.name = name;
        this.model = model;
        this.tokenizer = tokenizer;
        this.encoder = encoder;
        this.queue = queue;
        this.tokenizing = Executors.newFixedThreadPool(2, DaemonThreads.named("onnx-tokenize-" + name));
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
    public CompletionStage<List<Tokens>> tokenize(String modelId, List<Input> inputs) {
        return CompletableFuture.supplyAsync(() -> tokenizer.tokenize(Input.texts(inputs)), tokenizing);
    }

    @Override
    public CompletionStage<List<TokenizedText>> tokenizeForClient(String modelId, List<Input> inputs, String inputType) {
        return CompletableFuture.supplyAsync(() -> tokenizer.tokenizeForClient(Input.texts(inputs)), tokenizing);
    }

    /** Tokens queued for inference (for tests and meters). */
    long queuedTokens() {
        return queue.queuedTokens();
    }

    @Override
    public CompletionStage<EmbeddingResult> embed(EmbeddingRequest request) {
        List<List<int[]>> windows;
        List<CompletableFuture<float[]>> vectors;
        try {
            windows = windows(request);
            vectors = queue.submit(windows.stream().flatMap(List::stream).toList(), request.priority());
        } catch (ProviderException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.allOf(vectors.toArray(CompletableFuture[]::new))
                .thenApply(done -> assemble(request, windows, vectors.stream().map(CompletableFuture::join).toList()));
    }

    /** Each input's token sequences after the long-input policy, checked for every input before any inference. */
    private List<List<int[]>> windows(EmbeddingRequest request) {
        List<Tokens> tokens = request.tokens();
        List<List<int[]>> windows = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            windows.add(tokens.get(i).fit(model.maxInputTokens(), request.longInput(), i, model.id()));
        }
        return windows;
    }

    /** One embedding per input: its window's vector, or the token-weighted mean of its windows. */
    private EmbeddingResult assemble(EmbeddingRequest request, List<List<int[]>> windows, List<float[]> vectors) {
        List<Embedding> embeddings = new ArrayList<>(windows.size());
        int next = 0;
        for (List<int[]> inputWindows : windows) {
            int count = inputWindows.size();
            int[] lengths = inputWindows.stream().mapToInt(w -> w.length).toArray();
            float[] vector = count == 1 ? vectors.get(next)
                    : Vectors.weightedMean(vectors.subList(next, next + count).toArray(float[][]::new), lengths);
            next += count;
            int length = request.tokens().get(embeddings.size()).count();
            boolean cut = request.longInput().cuts(length, model.maxInputTokens());
            embeddings.add(new Embedding(Vectors.truncate(vector, request.dimensions()), IntStream.of(lengths).sum(), cut));
        }
        return new EmbeddingResult(embeddings);
    }

    @Override
    public void close() {
        tokenizing.shutdown();
        try {
            queue.close();
            encoder.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (OrtException e) {
            // The process is ending; nothing to recover.
        }
        tokenizer.close();
    }
}
