package dev.embeddinggateway.provider.onnx;

import ai.onnxruntime.OrtException;
import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.EmbeddingSpace;
import dev.embeddinggateway.core.LongInputPolicy;
import dev.embeddinggateway.core.ModelInfo;
import dev.embeddinggateway.core.ProviderFactory;
import dev.embeddinggateway.core.ProviderOption;
import dev.embeddinggateway.core.ProviderOptions;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.logging.Logger;

/** Type {@code onnx}: a local model run in-process with ONNX Runtime and its Hugging Face tokenizer. */
public final class OnnxProviderFactory implements ProviderFactory {
    private static final Logger LOG = Logger.getLogger(OnnxProviderFactory.class.getName());

    /** Where inference runs. */
    enum ExecutionProvider { CPU, CUDA }

    static final ProviderOption<String> MODEL = ProviderOption.text("model", "all-minilm-l6-v2",
            "a bundled model id");
    static final ProviderOption<String> MODEL_PATH = ProviderOption.text("model-path", null,
            "instead: a directory with a sentence-transformers ONNX export: `model.onnx` (or `onnx/model.onnx`) and "
                    + "`tokenizer.json`; `sentence_bert_config.json` (max_seq_length), `1_Pooling/config.json` (mean or "
                    + "CLS), `modules.json` (Normalize) and `config_sentence_transformers.json` (prompts) are read when present");
    static final ProviderOption<String> MODEL_ID = ProviderOption.text("model-id", null,
            "the model's id when loaded from `model-path` (default: the directory's name)");
    static final ProviderOption<Pooling> POOLING = ProviderOption.choice("pooling", Pooling.class, null,
            "`mean` or `cls`, instead of what the model's files say");
    static final ProviderOption<Boolean> NORMALIZE = ProviderOption.bool("normalize", null,
            "L2-normalize vectors, instead of what the model's files say");
    static final ProviderOption<Integer> MAX_SEQ_LENGTH = ProviderOption.integer("max-seq-length", null,
            "the most tokens the model sees, [CLS] and [SEP] included, instead of what its files say");
    static final ProviderOption<Boolean> MATRYOSHKA = ProviderOption.bool("matryoshka", null,
            "the model was trained so that truncated vectors keep their meaning: smaller `dimensions` are accepted");
    static final ProviderOption<Integer> THREADS = ProviderOption.integer("threads", null,
            "ONNX Runtime intra-op threads (default: all cores)");
    /** The most padded tokens of one inference pass; the option keeps its name (its environment variable, the docs). */
    static final ProviderOption<Integer> MAX_BATCH_TOKENS = ProviderOption.integer("max-batch-tokens", "512",
            "cap of one inference batch, in padded tokens");
    static final ProviderOption<Duration> MAX_QUEUE_WAIT = ProviderOption.duration("max-queue-wait", "30s",
            "work waiting for inference (at the measured speed) past which callers get 503 `overloaded` with a true `retry-after`");
    static final ProviderOption<Integer> MAX_QUEUED_TOKENS = ProviderOption.integer("max-queued-tokens", "1048576",
            "tokens waiting for inference, at most (a bound on memory)");
    static final ProviderOption<ExecutionProvider> EXECUTION_PROVIDER = ProviderOption.choice("execution-provider",
            ExecutionProvider.class, "cpu", "`cpu`, or `cuda` (with the `-Pgpu` build)");
    static final ProviderOption<Integer> DEVICE_ID = ProviderOption.integer("device-id", "0",
            "the GPU, with `execution-provider=cuda`");

    /** GraalVM sets this property in every native executable; plain Java has no need of its SDK for it. */
    static boolean inNativeImage() {
        return "runtime".equals(System.getProperty("org.graalvm.nativeimage.imagecode"));
    }

    @Override
    public String type() {
        return "onnx";
    }

    @Override
    public List<ProviderOption<?>> options() {
        return List.of(MODEL, MODEL_PATH, MODEL_ID, POOLING, NORMALIZE, MAX_SEQ_LENGTH, MATRYOSHKA, THREADS,
                MAX_BATCH_TOKENS, MAX_QUEUE_WAIT, MAX_QUEUED_TOKENS, EXECUTION_PROVIDER, DEVICE_ID);
    }

    @Override
    public EmbeddingProvider create(String name, ProviderOptions options) {
        if (inNativeImage()) {
            throw new IllegalArgumentException("provider " + name + ": type onnx runs in the JVM image only "
                    + "(docker/Dockerfile.jvm): ONNX Runtime and the tokenizer are JNI libraries that this native "
                    + "image does not carry. Configure remote providers only here, or run the JVM image");
        }
        long start = System.nanoTime();
        ModelSpec spec = ModelSpec.fromOptions(options);
        int threads = options.find(THREADS).orElse(Runtime.getRuntime().availableProcessors());
        OptionalInt cuda = options.get(EXECUTION_PROVIDER) == ExecutionProvider.CUDA
                ? OptionalInt.of(options.get(DEVICE_ID)) : OptionalInt.empty();
        ModelFile.Facts facts = spec.onnx().facts();
        OnnxEncoder encoder;
        try {
            encoder = new OnnxEncoder(spec, threads, options.get(MAX_BATCH_TOKENS), facts.dynamicallyQuantized(), cuda);
        } catch (OrtException e) {
            if (cuda.isPresent()) {
                throw new IllegalArgumentException("provider " + name + ": execution-provider=cuda, but CUDA cannot be "
                        + "used (" + e.getMessage() + "); build with -Pgpu on a machine with an NVIDIA driver and CUDA, "
                        + "or use execution-provider=cpu", e);
            }
            throw new IllegalArgumentException("provider " + name + ": cannot load " + spec.onnx() + ": "
                    + e.getMessage(), e);
        }
        ModelTokenizer tokenizer = new ModelTokenizer(spec.tokenizer());
        EmbeddingSpace space = new EmbeddingSpace(spec.id(), "sha256:" + facts.checksum(), encoder.dimensions(),
                spec.pooling().id(), spec.normalize());
        ModelInfo model = new ModelInfo(spec.id(), encoder.dimensions(), spec.maxSeqLength(), spec.matryoshka(),
                LongInputPolicy.TRUNCATE, space, tokenizer.id(), BigDecimal.ZERO, spec.inputTypes());
        LOG.info(String.format("provider %s: loaded %s from %s on %s: %d dims, %s pooling, max %d tokens, %d threads, %s, %d ms",
                name, spec.id(), spec.onnx(), cuda.isPresent() ? "CUDA device " + cuda.getAsInt() : "CPU",
                encoder.dimensions(), spec.pooling().id(), spec.maxSeqLength(), threads,
                facts.dynamicallyQuantized() ? "int8 (one text per inference)" : "batched by padded tokens",
                (System.nanoTime() - start) / 1_000_000));
        return new OnnxEmbeddingProvider(name, model, tokenizer, encoder, new InferenceQueue(name, encoder,
                options.get(MAX_QUEUED_TOKENS), options.get(MAX_QUEUE_WAIT), options.get(MAX_BATCH_TOKENS)));
    }
}
