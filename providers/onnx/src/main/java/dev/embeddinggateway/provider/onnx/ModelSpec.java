package dev.embeddinggateway.provider.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embeddinggateway.core.InputTypes;
import dev.embeddinggateway.core.ProviderOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Everything needed to load one local model: its files and how its vectors are made.
 *
 * @param maxSeqLength the most tokens the model sees, [CLS] and [SEP] included
 * @param matryoshka   whether the model was trained so that truncated vectors stay meaningful
 * @param inputTypes   the model's prompts per input type
 */
record ModelSpec(String id, ModelFile onnx, ModelFile tokenizer, Pooling pooling, int maxSeqLength,
                 boolean normalize, boolean matryoshka, InputTypes inputTypes) {
    private static final Logger LOG = Logger.getLogger(ModelSpec.class.getName());

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads {@code model} or {@code model-path} and the overriding options of a provider instance. */
    static ModelSpec fromOptions(ProviderOptions options) {
        Optional<String> dir = options.find(OnnxProviderFactory.MODEL_PATH);
        if (dir.isPresent() && options.isSet(OnnxProviderFactory.MODEL)) {
            throw new IllegalArgumentException(options.key(OnnxProviderFactory.MODEL) + " and "
                    + options.key(OnnxProviderFactory.MODEL_PATH) + " are both set; set one");
        }
        ModelSpec spec = dir.map(d -> fromDirectory(Path.of(d), options.find(OnnxProviderFactory.MODEL_ID)))
                .orElseGet(() -> bundled(BundledModel.byId(options.get(OnnxProviderFactory.MODEL))));
        return new ModelSpec(spec.id, spec.onnx, spec.tokenizer,
                options.find(OnnxProviderFactory.POOLING).orElse(spec.pooling),
                options.find(OnnxProviderFactory.MAX_SEQ_LENGTH).orElse(spec.maxSeqLength),
                options.find(OnnxProviderFactory.NORMALIZE).orElse(spec.normalize),
                options.find(OnnxProviderFactory.MATRYOSHKA).orElse(spec.matryoshka), spec.inputTypes);
    }

    static ModelSpec bundled(BundledModel model) {
        return new ModelSpec(model.id, ModelFile.bundled(model.onnxResource), ModelFile.bundled(model.tokenizerResource),
                model.pooling, model.maxSeqLength, true, false, model.inputTypes);
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
        InputTypes inputTypes = readJson(dir.resolve("config_sentence_transformers.json"))
                .map(c -> inputTypes(c, dir)).orElse(InputTypes.NONE);
        return new ModelSpec(modelId, ModelFile.onDisk(onnx), ModelFile.onDisk(tokenizer), pooling, maxSeqLength,
                normalize, false, inputTypes);
    }

    /**
     * sentence-transformers' {@code prompts} (name → text) and {@code default_prompt_name}, under the input type
     * each name stands for ({@link InputTypes#fromPromptName}); names of no input type are left out, loudly.
     */
    static InputTypes inputTypes(JsonNode config, Path dir) {
        Map<String, String> prompts = new LinkedHashMap<>();
        config.path("prompts").fields().forEachRemaining(e -> InputTypes.fromPromptName(e.getKey()).ifPresentOrElse(
                type -> prompts.putIfAbsent(type, e.getValue().asText()),
                () -> LOG.warning(dir + ": prompt '" + e.getKey() + "' stands for no input type ("
                        + String.join(", ", InputTypes.KNOWN) + ") and is not used")));
        Optional<String> defaultType = Optional.ofNullable(config.path("default_prompt_name").textValue())
                .flatMap(InputTypes::fromPromptName);
        prompts.values().removeIf(String::isEmpty);
        return new InputTypes(prompts, Set.of(), defaultType);
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
