package dev.embeddinggateway.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The honest baseline, written without any of the gateway's classes: the best plain use of ONNX Runtime for
 * all-MiniLM-L6-v2 on this machine. The whole corpus is tokenized (truncation at the model's 256, no padding),
 * sorted by length, cut into batches at a padded-token budget, and run with intra-op threads = cores; mean
 * pooling and normalization by hand. Nothing waits, nothing is shared: what a gateway in front of the same
 * model can at best approach.
 */
final class PlainOnnxRuntime implements AutoCloseable {
    private static final int MAX_TOKENS = 256;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;

    PlainOnnxRuntime() throws IOException, OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(resource("all-minilm-l6-v2.onnx"), options);
        }
        // The tokenizer file itself says truncation at 128 and Fixed(128) padding: both overridden.
        tokenizer = HuggingFaceTokenizer.newInstance(
                new ByteArrayInputStream(resource("all-minilm-l6-v2-tokenizer.json")),
                Map.of("truncation", "true", "maxLength", Integer.toString(MAX_TOKENS), "padding", "false"));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = PlainOnnxRuntime.class.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    /** The best texts per second over the budgets tried, each for {@code phase}; prints each. */
    double bestTextsPerSecond(List<String> corpus, Duration phase, int... batchTokenBudgets) throws OrtException {
        double best = 0;
        for (int budget : batchTokenBudgets) {
            embedAll(corpus, budget); // warm-up
            long texts = 0;
            long start = System.nanoTime();
            while (System.nanoTime() - start < phase.toNanos()) {
                embedAll(corpus, budget);
                texts += corpus.size();
            }
            double rate = texts / ((System.nanoTime() - start) / 1e9);
            System.out.printf("plain ONNX Runtime, batches of at most %d padded tokens: %.1f texts/s%n", budget, rate);
            best = Math.max(best, rate);
        }
        return best;
    }

    /** Tokens per text over the corpus, for the table's description of it. */
    int[] lengths(List<String> corpus) {
        return Arrays.stream(tokenizer.batchEncode(corpus)).mapToInt(e -> e.getIds().length).sorted().toArray();
    }

    float[][] embedAll(List<String> corpus, int batchTokenBudget) throws OrtException {
        Encoding[] encodings = tokenizer.batchEncode(corpus);
        Integer[] order = new Integer[encodings.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingInt(i -> encodings[i].getIds().length));
        float[][] vectors = new float[encodings.length][];
        int start = 0;
        while (start < order.length) {
            int end = start + 1;
            while (end < order.length && (end - start + 1) * encodings[order[end]].getIds().length <= batchTokenBudget) {
                end++;
            }
            Encoding[] batch = new Encoding[end - start];
            for (int i = start; i < end; i++) {
                batch[i - start] = encodings[order[i]];
            }
            float[][] batchVectors = run(batch);
            for (int i = start; i < end; i++) {
                vectors[order[i]] = batchVectors[i - start];
            }
            start = end;
        }
        return vectors;
    }

    private float[][] run(Encoding[] batch) throws OrtException {
        int rows = batch.length;
        int width = batch[rows - 1].getIds().length;
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        for (int r = 0; r < rows; r++) {
            long[] seq = batch[r].getIds();
            System.arraycopy(seq, 0, ids, r * width, seq.length);
            Arrays.fill(mask, r * width, r * width + seq.length, 1L);
        }
        long[] shape = {rows, width};
        try (OnnxTensor idTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
             OnnxTensor maskTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
             OnnxTensor typeTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[rows * width]), shape);
             OrtSession.Result result = session.run(Map.of("input_ids", idTensor, "attention_mask", maskTensor,
                     "token_type_ids", typeTensor))) {
            FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
            int dims = (int) (hidden.capacity() / ((long) rows * width));
            float[][] vectors = new float[rows][dims];
            for (int r = 0; r < rows; r++) {
                int length = batch[r].getIds().length;
                float[] v = vectors[r];
                for (int t = 0; t < length; t++) {
                    int offset = (r * width + t) * dims;
                    for (int d = 0; d < dims; d++) {
                        v[d] += hidden.get(offset + d);
                    }
                }
                double norm = 0;
                for (int d = 0; d < dims; d++) {
                    norm += (double) v[d] * v[d];
                }
                float scale = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
                for (int d = 0; d < dims; d++) {
                    v[d] *= scale; // the mean's 1/length cancels in the normalization
                }
            }
            return vectors;
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
        tokenizer.close();
    }
}
