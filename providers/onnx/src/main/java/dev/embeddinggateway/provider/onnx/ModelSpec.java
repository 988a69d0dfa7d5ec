package dev.embeddinggateway.provider.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embeddinggateway.core.ProviderOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything needed to load one local model: its files and how its vectors are made.
 *
 * @param maxSeqLength the most tokens the model sees, [CLS] and [SEP] included
 * @param matryoshka   whether the model was trained so that truncated vectors stay meaningful
 */
record ModelSpec(String id, ModelFile onnx, ModelFile tokenizer, Pooling pooling, int maxSeqLength,
                 boolean normalize, boolean matryoshka) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads {@code model} or {@code model-path} and the overriding options of a provider instance. */
    static ModelSpec fromOptions(String instance, ProviderOptions options) {
        Optional<String> dir = options.get("model-path");
        if (dir.isPresent() && options.get("model").isPresent()) {
            throw new IllegalArgumentException("gateway.providers." + instance
                    + " sets both model and model-path; set one");
        }
        ModelSpec spec = dir.map(d -> fromDirectory(Path.of(d), options.get("model-id")))
                .orElseGet(() -> bundled(BundledModel.byId(options.get("model").orElse("all-minilm-l6-v2"))));
        return new ModelSpec(spec.id, spec.onnx, spec.tokenizer,
                options.get("pooling").map(Pooling::parse).orElse(spec.pooling),
                options.getInt("max-seq-length", spec.maxSeqLength, instance),
                options.getBoolean("normalize", instance).orElse(spec.normalize),
                options.getBoolean("matryoshka", instance).orElse(spec.matryoshka));
    }

    static ModelSpec bundled(BundledModel model) {
        return new ModelSpec(model.id, ModelFile.bundled(model.onnxResource), ModelFile.bundled(model.tokenizerResource),
                model.pooling, model.maxSeqLength, true, false);
    }

    /**
     * A sentence-transformers ONNX export: {@code model.onnx} (or {@code onnx/model.onnx}) and
     * {@code tokenizer.json}, with {@code sentence_bert_config.json}, {@code 1_Pooling/config.json} and
     * {@code modules.json} read where present.
     */
    static ModelSpec fromDirectory(Path dir, Optional<String> id) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("model-path " + dir + " is not a directory");
        }
        Path onnx = firstExisting(dir.resolve("model.onnx"), dir.resolve("onnx/model.onnx"))
                .orElseThrow(() -> new IllegalArgumentException("model-path " + dir
                        + " holds neither model.onnx nor onnx/model.onnx"));
        Path tokenizer = firstExisting(dir.resolve("tokenizer.json"))
                .orElseThrow(() -> new IllegalArgumentException("model-path " + dir + " holds no tokenizer.json"));
        int maxSeqLength = readJson(dir.resolve("sentence_bert_config.json"))
                .map(c -> c.path("max_seq_length").asInt(512)).orElse(512);
        Pooling pooling = readJson(dir.resolve("1_Pooling/config.json"))
                .map(c -> c.path("pooling_mode_cls_token").asBoolean(false) ? Pooling.CLS : Pooling.MEAN)
                .orElse(Pooling.MEAN);
        boolean normalize = readJson(dir.resolve("modules.json"))
                .map(modules -> modules.toString().contains("sentence_transformers.models.Normalize"))
                .orElse(true);
        String modelId = id.orElse(dir.toAbsolutePath().normalize().getFileName().toString());
        return new ModelSpec(modelId, ModelFile.onDisk(onnx), ModelFile.onDisk(tokenizer), pooling, maxSeqLength,
                normalize, false);
    }

    private static Optional<Path> firstExisting(Path... candidates) {
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
