package dev.embeddinggateway.provider.onnx;

import dev.embeddinggateway.core.InputTypes;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The models whose files ship inside the gateway (as classpath resources of Maven Central jars). */
enum BundledModel {
    ALL_MINILM_L6_V2("all-minilm-l6-v2", "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", Pooling.MEAN, 256,
            InputTypes.NONE),
    ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", Pooling.MEAN, 256,
            InputTypes.NONE),
    /** The query instruction is the one BAAI's model card gives for short queries against passages. */
    BGE_SMALL_ZH_V15_Q("bge-small-zh-v1.5-q", "bge-small-zh-v1.5-q.onnx", "bge-small-zh-v1.5-q-tokenizer.json", Pooling.CLS, 512,
            new InputTypes(Map.of(InputTypes.QUERY, "为这个句子生成表示以用于检索相关文章："), Set.of(), Optional.empty()));

    final String id;
    final String onnxResource;
    final String tokenizerResource;
    final Pooling pooling;
    /** sentence-transformers' max_seq_length, not the tokenizer file's (128 for all-MiniLM-L6-v2). */
    final int maxSeqLength;
    final InputTypes inputTypes;

    BundledModel(String id, String onnxResource, String tokenizerResource, Pooling pooling, int maxSeqLength,
                 InputTypes inputTypes) {
        this.id = id;
        this.onnxResource = onnxResource;
        this.tokenizerResource = tokenizerResource;
        this.pooling = pooling;
        this.maxSeqLength = maxSeqLength;
        this.inputTypes = inputTypes;
    }

    static BundledModel byId(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown bundled model '" + id + "'; bundled: "
                        + Arrays.stream(values()).map(m -> m.id).collect(Collectors.joining(", "))
                        + " (or set model-path to a sentence-transformers ONNX export)"));
    }
}
