package dev.embeddinggateway.provider.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.embeddinggateway.core.support.Vectors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Runs a BERT-style ONNX model over token sequences and pools each into one vector. The sequences are run in passes
 * (one inference call over several sequences at once), each padded only to its longest member and capped by padded
 * tokens, not by count: a few long texts must not make every short one pay for their padding.
 */
final class OnnxEncoder implements AutoCloseable {
    private static final String HIDDEN_STATE = "last_hidden_state";

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final boolean takesTokenTypes;
    private final String output;
    private final int dimensions;
    private final Pooling pooling;
    private final boolean normalize;
    /** The most padded tokens of one pass ({@code max-batch-tokens}). */
    private final int maxPassTokens;
    private final boolean oneSequencePerRun;

    /**
     * @param maxPassTokens        the most padded tokens of one pass
     * @param dynamicallyQuantized an int8 model that quantizes activations at run time: its scales span the
     *                             whole pass, so each sequence runs alone (else a text's vector would depend
     *                             on the others of its pass)
     */
    OnnxEncoder(ModelSpec spec, int threads, int maxPassTokens, boolean dynamicallyQuantized, OptionalInt cudaDevice)
            throws OrtException {
        this.oneSequencePerRun = dynamicallyQuantized;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (cudaDevice.isPresent()) {
                // Throws when this build of ONNX Runtime has no CUDA (the default CPU build: use -Pgpu).
                options.addCUDA(cudaDevice.getAsInt());
            }
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            // Extended fusions rewrite int8 graphs into kernels that round differently (measured: cosine 0.993
            // to the reference for one bge-small-zh text, 1.000000 with basic): exact vectors matter more.
            options.setOptimizationLevel(dynamicallyQuantized
                    ? OrtSession.SessionOptions.OptLevel.BASIC_OPT : OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // A file on disk may carry external weights next to it; those need the path, not the bytes.
            session = spec.onnx().path() != null
                    ? env.createSession(spec.onnx().path().toString(), options)
                    : env.createSession(spec.onnx().readAll(), options);
        }
        takesTokenTypes = session.getInputNames().contains("token_type_ids");
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        output = outputs.containsKey(HIDDEN_STATE) ? HIDDEN_STATE : outputs.keySet().iterator().next();
        long[] shape = ((TensorInfo) outputs.get(output).getInfo()).getShape();
        dimensions = (int) shape[shape.length - 1];
        this.pooling = spec.pooling();
        this.normalize = spec.normalize();
        this.maxPassTokens = maxPassTokens;
    }

    int dimensions() {
        return dimensions;
    }

    /** One vector per sequence, in the order given. */
    float[][] encode(List<int[]> sequences) throws OrtException {
        float[][] vectors = new float[sequences.size()][];
        Integer[] byLength = IntStream.range(0, sequences.size()).boxed()
                .sorted(Comparator.comparingInt(i -> sequences.get(i).length)).toArray(Integer[]::new);
        int start = 0;
        while (start < byLength.length) {
            // Sorted ascending, so the pass's last member is its longest: padded tokens = count × that length.
            int end = start + 1;
            while (!oneSequencePerRun && end < byLength.length
                    && (end - start + 1) * sequences.get(byLength[end]).length <= maxPassTokens) {
                end++;
            }
            Integer[] pass = Arrays.copyOfRange(byLength, start, end);
            float[][] passVectors = run(Arrays.stream(pass).map(sequences::get).toList());
            for (int i = 0; i < pass.length; i++) {
                vectors[pass[i]] = passVectors[i];
            }
            start = end;
        }
        return vectors;
    }

    /** One pass: one inference call over these sequences, shortest first. */
    private float[][] run(List<int[]> pass) throws OrtException {
        int rows = pass.size();
        int padded = pass.get(pass.size() - 1).length;
        LongBuffer ids = directLongs(rows * padded);
        LongBuffer mask = directLongs(rows * padded);
        for (int[] seq : pass) {
            for (int t = 0; t < padded; t++) {
                ids.put(t < seq.length ? seq[t] : 0L);
                mask.put(t < seq.length ? 1L : 0L);
            }
        }
        long[] shape = {rows, padded};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, ids.rewind(), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, mask.rewind(), shape));
            if (takesTokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, directLongs(rows * padded), shape));
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(output))) {
                FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
                float[][] vectors = new float[rows][];
                for (int r = 0; r < rows; r++) {
                    float[] v = pooling.pool(hidden, r, padded, pass.get(r).length, dimensions);
                    vectors[r] = normalize ? Vectors.normalize(v) : v;
                }
                return vectors;
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static LongBuffer directLongs(int count) {
        return ByteBuffer.allocateDirect(count * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
