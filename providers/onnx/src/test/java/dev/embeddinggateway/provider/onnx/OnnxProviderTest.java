package dev.embeddinggateway.provider.onnx;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import dev.embeddinggateway.core.BadInputException;
import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.EmbeddingResult;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.InputTypes;
import dev.embeddinggateway.core.LongInputPolicy;
import dev.embeddinggateway.core.support.Vectors;
import dev.embeddinggateway.golden.Golden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static dev.embeddinggateway.testing.TokenizeAndEmbed.tokenizeAndEmbed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OnnxProviderTest {
    private static final Golden MINILM = Golden.load(Golden.MINILM);
    private static EmbeddingProvider minilm;

    @BeforeAll
    static void load() {
        minilm = create(Map.of("model", "all-minilm-l6-v2"));
    }

    @AfterAll
    static void close() {
        minilm.close();
    }

    private static EmbeddingProvider create(Map<String, String> options) {
        return new OnnxProviderFactory().create("test", options);
    }

    private static EmbeddingResult embed(EmbeddingProvider provider, LongInputPolicy policy, int dims, Input... inputs) {
        return tokenizeAndEmbed(provider, provider.models().get(0).id(), List.of(inputs), dims, policy)
                .toCompletableFuture().join();
    }

    private static Input text(String s) {
        return new Input.Text(s);
    }

    private static String longText() {
        return MINILM.items().get(MINILM.items().size() - 1).text();
    }

    @Test
    void sentenceTransformersDirectoryReachesTheGoldenVectors(@TempDir Path dir) throws IOException {
        copyResource("all-minilm-l6-v2.onnx", dir.resolve("onnx/model.onnx"));
        copyResource("all-minilm-l6-v2-tokenizer.json", dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 256, \"do_lower_case\": false}");
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling/config.json"),
                "{\"word_embedding_dimension\": 384, \"pooling_mode_cls_token\": false, \"pooling_mode_mean_tokens\": true}");
        Files.writeString(dir.resolve("modules.json"), "[{\"idx\":0,\"type\":\"sentence_transformers.models.Transformer\"},"
                + "{\"idx\":1,\"type\":\"sentence_transformers.models.Pooling\"},"
                + "{\"idx\":2,\"type\":\"sentence_transformers.models.Normalize\"}]");

        try (EmbeddingProvider fromDir = create(Map.of("model-path", dir.toString(), "model-id", "minilm-from-disk"))) {
            assertThat(fromDir.models().get(0).id()).isEqualTo("minilm-from-disk");
            assertThat(fromDir.models().get(0).maxInputTokens()).isEqualTo(256);
            // Same weights, same pooling: the same space, under the name the operator chose.
            assertThat(fromDir.models().get(0).space().revision()).isEqualTo(minilm.models().get(0).space().revision());
            EmbeddingResult result = embed(fromDir, LongInputPolicy.TRUNCATE, 384,
                    MINILM.texts().stream().map(OnnxProviderTest::text).toArray(Input[]::new));
            for (int i = 0; i < MINILM.items().size(); i++) {
                Golden.Item item = MINILM.items().get(i);
                assertThat(Golden.cosine(result.embeddings().get(i).vector(), item.embedding()))
                        .as(item.text()).isGreaterThanOrEqualTo(MINILM.minCosine());
                assertThat(result.embeddings().get(i).tokens()).as(item.text()).isEqualTo(item.tokens());
            }
        }
    }

    @Test
    void sentenceTransformersPromptsBecomeInputTypes(@TempDir Path dir) throws IOException {
        copyResource("all-minilm-l6-v2.onnx", dir.resolve("model.onnx"));
        copyResource("all-minilm-l6-v2-tokenizer.json", dir.resolve("tokenizer.json"));
        // nomic's names; "retrieval" stands for no input type and is left out.
        Files.writeString(dir.resolve("config_sentence_transformers.json"), "{\"prompts\": {\"search_query\": "
                + "\"search_query: \", \"search_document\": \"search_document: \", \"clustering\": \"clustering: \", "
                + "\"retrieval\": \"retrieve: \"}, \"default_prompt_name\": \"search_document\"}");
        try (EmbeddingProvider fromDir = create(Map.of("model-path", dir.toString()))) {
            InputTypes types = fromDir.models().get(0).inputTypes();
            assertThat(types.prompts()).containsOnly(Map.entry("query", "search_query: "),
                    Map.entry("document", "search_document: "), Map.entry("clustering", "clustering: "));
            assertThat(types.defaultType()).contains("document");
            assertThat(types.accepted()).containsExactly("query", "document", "clustering");
        }
    }

    @Test
    void bundledBgeHasItsQueryInstructionAndMiniLmNone() {
        try (EmbeddingProvider bge = create(Map.of("model", "bge-small-zh-v1.5-q"))) {
            assertThat(bge.models().get(0).inputTypes().prompts()).containsOnly(
                    Map.entry("query", "为这个句子生成表示以用于检索相关文章："));
        }
        assertThat(minilm.models().get(0).inputTypes()).isEqualTo(InputTypes.NONE);
    }

    @Test
    void poolingOptionOverridesTheModelFiles() {
        try (EmbeddingProvider cls = create(Map.of("model", "all-minilm-l6-v2", "pooling", "cls"))) {
            assertThat(cls.models().get(0).space()).isNotEqualTo(minilm.models().get(0).space());
            float[] v = embed(cls, LongInputPolicy.TRUNCATE, 384, text("治疗感冒的药")).embeddings().get(0).vector();
            assertThat(Golden.cosine(v, MINILM.items().get(2).embedding())).isLessThan(0.99);
        }
    }

    @Test
    void chunkCoversTheWholeTextInWindowsOfTheModelsLength() {
        int fullTokens = minilm.tokenize("all-minilm-l6-v2", List.of(text(longText()))).toCompletableFuture().join().get(0).count();
        assertThat(fullTokens).isGreaterThan(256);

        var chunked = embed(minilm, LongInputPolicy.CHUNK, 384, text(longText())).embeddings().get(0);
        var truncated = embed(minilm, LongInputPolicy.TRUNCATE, 384, text(longText())).embeddings().get(0);

        int windows = (fullTokens - 2 + 253) / 254;
        // Each window carries its own [CLS] and [SEP]: the model saw every content token once.
        assertThat(chunked.tokens()).isEqualTo(fullTokens + 2 * (windows - 1));
        assertThat(truncated.tokens()).isEqualTo(256);
        assertThat(Vectors.norm(chunked.vector())).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(Golden.cosine(chunked.vector(), truncated.vector())).isLessThan(0.9999).isGreaterThan(0.5);
    }

    @Test
    void chunkOfATextThatFitsIsTheTextItself() {
        var fits = MINILM.items().get(4);
        var chunked = embed(minilm, LongInputPolicy.CHUNK, 384, text(fits.text())).embeddings().get(0);
        assertThat(Golden.cosine(chunked.vector(), fits.embedding())).isGreaterThanOrEqualTo(MINILM.minCosine());
    }

    @Test
    void errorPolicyRefusesBeforeEmbeddingAnything() {
        assertThatThrownBy(() -> embed(minilm, LongInputPolicy.ERROR, 384, text("short"), text(longText())))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(BadInputException.class)
                .hasMessageContaining("Input 1").hasMessageContaining("at most 256")
                .extracting(e -> ((BadInputException) e).code()).isEqualTo("context_length_exceeded");
    }

    @Test
    void cl100kTokenIdsEmbedAsTheirText() {
        var item = MINILM.items().get(5);
        int[] ids = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE)
                .encode(item.text()).toArray();
        var fromIds = embed(minilm, LongInputPolicy.TRUNCATE, 384, new Input.TokenIds(ids)).embeddings().get(0);
        assertThat(Golden.cosine(fromIds.vector(), item.embedding())).isGreaterThanOrEqualTo(MINILM.minCosine());
        assertThat(fromIds.tokens()).isEqualTo(item.tokens());
    }

    @Test
    void unknownTokenIdIsTheCallersFault() {
        assertThatThrownBy(() -> embed(minilm, LongInputPolicy.TRUNCATE, 384, new Input.TokenIds(new int[]{9_999_999})))
                .cause().isInstanceOf(BadInputException.class);
    }

    @Test
    void matryoshkaModelTruncatesAndRenormalizes() {
        try (EmbeddingProvider mrl = create(Map.of("model", "all-minilm-l6-v2", "matryoshka", "true"))) {
            assertThat(mrl.models().get(0).accepts(64)).isTrue();
            assertThat(minilm.models().get(0).accepts(64)).isFalse();
            float[] small = embed(mrl, LongInputPolicy.TRUNCATE, 64, text("a")).embeddings().get(0).vector();
            float[] full = embed(mrl, LongInputPolicy.TRUNCATE, 384, text("a")).embeddings().get(0).vector();
            assertThat(small).hasSize(64);
            assertThat(Golden.cosine(small, java.util.Arrays.copyOf(full, 64))).isGreaterThan(0.99999);
            assertThat(Vectors.norm(small)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void quantizedMiniLmStaysCloseToTheFullPrecisionModel() {
        try (EmbeddingProvider quantized = create(Map.of("model", "all-minilm-l6-v2-q"))) {
            var items = MINILM.items().subList(0, 6);
            EmbeddingResult result = embed(quantized, LongInputPolicy.TRUNCATE, 384,
                    items.stream().map(i -> text(i.text())).toArray(Input[]::new));
            for (int i = 0; i < items.size(); i++) {
                assertThat(Golden.cosine(result.embeddings().get(i).vector(), items.get(i).embedding()))
                        .as(items.get(i).text()).isGreaterThan(0.95);
            }
            assertThat(quantized.models().get(0).space()).isNotEqualTo(minilm.models().get(0).space());
        }
    }

    @Test
    void cudaWithoutACudaBuildSaysWhatToDo() {
        assertThatThrownBy(() -> create(Map.of("model", "all-minilm-l6-v2-q", "execution-provider", "cuda")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("execution-provider=cuda").hasMessageContaining("-Pgpu");
    }

    @Test
    void unknownBundledModelListsTheBundledOnes() {
        assertThatThrownBy(() -> create(Map.of("model", "no-such-model")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("all-minilm-l6-v2").hasMessageContaining("bge-small-zh-v1.5-q");
    }

    private static void copyResource(String resource, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = OnnxProviderTest.class.getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, target);
        }
    }
}
