package dev.embeddinggateway.it;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import dev.embeddinggateway.core.support.Vectors;
import dev.embeddinggateway.golden.Golden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The official OpenAI Java SDK against the packaged gateway started with no configuration at all (the shared one):
 * only the base URL changes, and the vectors are the reference vectors.
 */
@ExtendWith(SharedGateway.class)
class OpenAiSdkIT {
    private static OpenAIClient client;
    private static final Golden MINILM = Golden.load(Golden.MINILM);

    @BeforeAll
    static void start(GatewayProcess gateway) {
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.url("/v1")).apiKey("no-key-needed").maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    private static CreateEmbeddingResponse embed(List<String> texts, EmbeddingCreateParams.EncodingFormat format) {
        return client.embeddings().create(EmbeddingCreateParams.builder().model("all-minilm-l6-v2")
                .inputOfArrayOfStrings(texts).encodingFormat(format).build());
    }

    @Test
    void floatVectorsAreTheReferenceVectors() {
        CreateEmbeddingResponse response = embed(MINILM.texts(), EmbeddingCreateParams.EncodingFormat.FLOAT);
        assertMatchesGolden(response.data().stream().map(e -> toArray(e.embeddingValue().asFloats())).toList());
        assertThat(response.usage().promptTokens()).isEqualTo(MINILM.totalTokens());
        assertThat(response.model()).isEqualTo("all-minilm-l6-v2");
    }

    @Test
    void base64VectorsAreTheReferenceVectors() {
        CreateEmbeddingResponse response = embed(MINILM.texts(), EmbeddingCreateParams.EncodingFormat.BASE64);
        assertMatchesGolden(response.data().stream().map(e -> e.embeddingValue().isBase64()
                ? Vectors.fromBase64(e.embeddingValue().asBase64()) : toArray(e.embeddingValue().asFloats())).toList());
    }

    @Test
    void unknownModelIsNotFoundForTheSdk() {
        // The zero-configuration gateway has no OpenAI provider: a clean 404 that the SDK understands.
        assertThatThrownBy(() -> client.embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input("x").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("text-embedding-3-small")
                .hasMessageContaining("/v1/models");
    }

    @Test
    void preTokenizedInputGetsTheVectorsOfItsText() {
        // What LangChain's OpenAIEmbeddings sends by default: cl100k_base ids, here of "The quick brown fox ...".
        Golden.Item fox = MINILM.items().get(4);
        List<Long> ids = List.of(791L, 4062L, 14198L, 39935L, 35308L, 927L, 279L, 16053L, 5679L, 13L);
        CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("all-minilm-l6-v2").encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                .inputOfArrayOfTokenArrays(List.of(ids)).build());
        float[] v = toArray(response.data().get(0).embeddingValue().asFloats());
        assertThat(Golden.cosine(v, fox.embedding())).isGreaterThanOrEqualTo(MINILM.minCosine());
    }

    @Test
    void chineseSeedExampleWorksOutOfTheBox() {
        CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("bge-small-zh-v1.5-q").encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                .inputOfArrayOfStrings(List.of("治疗感冒的药", "缓解伤风症状的药物", "如何更换汽车轮胎")).build());
        List<float[]> v = response.data().stream().map(e -> toArray(e.embeddingValue().asFloats())).toList();
        assertThat(Golden.cosine(v.get(0), v.get(1))).isGreaterThan(Golden.cosine(v.get(0), v.get(2)) + 0.2);
    }

    @Test
    void inputTypeAndCompactEncodingsTravelThroughTheSdk() {
        String text = "治疗感冒的药";
        EmbeddingCreateParams.Builder zh = EmbeddingCreateParams.builder().model("bge-small-zh-v1.5-q")
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT);
        // input_type is no field of OpenAI's: the SDK sends it as an extra body property.
        CreateEmbeddingResponse query = client.embeddings().create(zh.input(text)
                .putAdditionalBodyProperty("input_type", JsonValue.from("query")).build());
        CreateEmbeddingResponse prompted = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("bge-small-zh-v1.5-q").encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                .input("为这个句子生成表示以用于检索相关文章：" + text).build());
        float[] queryVector = toArray(query.data().get(0).embeddingValue().asFloats());
        assertThat(Golden.cosine(queryVector, toArray(prompted.data().get(0).embeddingValue().asFloats())))
                .isGreaterThanOrEqualTo(0.9999);
        assertThat(query.usage().promptTokens()).isEqualTo(prompted.usage().promptTokens());
        // int8: an encoding the SDK does not know by name, integers where floats would be.
        CreateEmbeddingResponse int8 = client.embeddings().create(EmbeddingCreateParams.builder().model("bge-small-zh-v1.5-q")
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.of("int8")).input(text)
                .putAdditionalBodyProperty("input_type", JsonValue.from("query")).build());
        float[] codes = toArray(int8.data().get(0).embeddingValue().asFloats());
        assertThat(codes).hasSameSizeAs(queryVector);
        assertThat(Golden.cosine(codes, queryVector)).isGreaterThan(0.999);
    }

    @Test
    void batchInputFilesGoUpAndComeBackThroughTheSdk() throws Exception {
        Path input = Files.createTempFile("batch", ".jsonl");
        String line = "{\"custom_id\":\"1\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{\"model\":"
                + "\"all-minilm-l6-v2\",\"input\":\"hello\"}}\n";
        Files.writeString(input, line);
        FileObject created = client.files().create(FileCreateParams.builder().file(input).purpose(FilePurpose.BATCH).build());
        assertThat(created.id()).startsWith("file-");
        assertThat(created.bytes()).isEqualTo(line.getBytes(StandardCharsets.UTF_8).length);
        assertThat(client.files().retrieve(created.id()).filename()).isEqualTo(input.getFileName().toString());
        try (var content = client.files().content(created.id())) {
            assertThat(new String(content.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(line);
        }
        assertThat(client.files().list().data()).extracting(FileObject::id).contains(created.id());
        assertThat(client.files().delete(created.id()).deleted()).isTrue();
        assertThatThrownBy(() -> client.files().retrieve(created.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void badInputIsABadRequestForTheSdk() {
        assertThatThrownBy(() -> client.embeddings().create(EmbeddingCreateParams.builder()
                .model("all-minilm-l6-v2").input("x").dimensions(7).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("dimensions");
    }

    private static void assertMatchesGolden(List<float[]> vectors) {
        assertThat(vectors).hasSize(MINILM.items().size());
        for (int i = 0; i < vectors.size(); i++) {
            Golden.Item item = MINILM.items().get(i);
            assertThat(Golden.cosine(vectors.get(i), item.embedding())).as(item.text())
                    .isGreaterThanOrEqualTo(MINILM.minCosine());
        }
    }

    private static float[] toArray(List<Float> values) {
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        return v;
    }
}
