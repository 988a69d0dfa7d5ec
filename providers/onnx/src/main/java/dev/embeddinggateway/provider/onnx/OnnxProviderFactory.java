package dev.embeddinggateway.provider.onnx;

import ai.onnxruntime.OrtException;
import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.EmbeddingSpace;
import dev.embeddinggateway.core.LongInputPolicy;
import dev.embeddinggateway.core.ModelInfo;
import dev.embeddinggateway.core.ProviderFactory;
import dev.embeddinggateway.core.ProviderOptions;

import java.math.BigDecimal;
import java.util.OptionalInt;
import java.util.logging.Logger;

/**
 * Type {@code onnx}: a local model run in-process with ONNX Runtime and its Hugging Face tokenizer.
 * Options: {@code model} (a bundled id) or {@code model-path} (a sentence-transformers ONNX export, with
 * {@code model-id}); {@code pooling}, {@code normalize}, {@code max-seq-length}, {@code matryoshka} override
 * what the model's files say; {@code threads} (intra-op, default all cores); {@code max-batch-tokens}.
 */
public final class OnnxProviderFactory implements ProviderFactory {
    private static final Logger LOG = Logger.getLogger(OnnxProviderFactory.class.getName());

    /** GraalVM sets this property in every native executable; plain Java has no need of its SDK for it. */
    static boolean inNativeImage() {
        return "runtime".equals(System.getProperty("org.graalvm.nativeimage.imagecode"));
    }

    @Override
    public String type() {
        return "onnx";
    }

    @Override
    public EmbeddingProvider create(String name, ProviderOptions options) {
        if (inNativeImage()) {
            throw new IllegalArgumentException("provider " + name + ": type onnx runs in the JVM image only "
                    + "(docker/Dockerfile.jvm): ONNX Runtime and the tokenizer are JNI libraries that this native "
                    + "image does not carry. Configure remote providers only here, or run the JVM image");
        }
        long start = System.nanoTime();
        ModelSpec spec = ModelSpec.fromOptions(name, options);
        int threads = options.getInt("threads", Runtime.getRuntime().availableProcessors(), name);
        int maxBatchTokens = options.getInt("max-batch-tokens", 2048, name);
        int maxQueuedTokens = options.getInt("max-queued-tokens", 65_536, name);
        OptionalInt cuda = switch (options.get("execution-provider").orElse("cpu")) {
            case "cpu" -> OptionalInt.empty();
            case "cuda" -> OptionalInt.of(options.getInt("device-id", 0, name));
            default -> throw new IllegalArgumentException("gateway.providers." + name + ".execution-provider must be cpu or cuda");
        };
        ModelFile.Facts facts = spec.onnx().facts();
        OnnxEncoder encoder;
        try {
            encoder = new OnnxEncoder(spec, threads, maxBatchTokens, facts.dynamicallyQuantized(), cuda);
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
                LongInputPolicy.TRUNCATE, space, BigDecimal.ZERO);
        LOG.info(String.format("provider %s: loaded %s from %s on %s: %d dims, %s pooling, max %d tokens, %d threads, %s, %d ms",
                name, spec.id(), spec.onnx(), cuda.isPresent() ? "CUDA device " + cuda.getAsInt() : "CPU",
                encoder.dimensions(), spec.pooling().id(), spec.maxSeqLength(), threads,
                facts.dynamicallyQuantized() ? "int8 (one text per inference)" : "batched by padded tokens",
                (System.nanoTime() - start) / 1_000_000));
        return new OnnxEmbeddingProvider(name, model, tokenizer, encoder, maxQueuedTokens);
    }
}
