package dev.embeddinggateway.api;

import dev.embeddinggateway.golden.Golden;
import dev.embeddinggateway.testing.Embeddings;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** {@code encoding_format} int8, uint8, binary and ubinary: integers a vector store can keep and compare as they are. */
@QuarkusTest
class CompactEncodingsTest {
    private static final List<String> TEXTS = List.of("治疗感冒的药", "缓解伤风症状的药物", "如何更换汽车轮胎",
            "The quick brown fox jumps over the lazy dog.");

    /** The texts' vectors in {@code encoding}, served. */
    private static Response encoded(String model, List<String> texts, String encoding) {
        return Embeddings.post(Embeddings.body(model, texts, "encoding_format", encoding)).then().statusCode(200)
                .extract().response();
    }

    private static int[][] codes(Response response) {
        return response.jsonPath().getList("data.embedding", List.class).stream()
                .map(v -> ((List<?>) v).stream().mapToInt(x -> ((Number) x).intValue()).toArray()).toArray(int[][]::new);
    }

    private static float[] asFloats(int[] codes) {
        float[] v = new float[codes.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = codes[i];
        }
        return v;
    }

    @Test
    void int8CodesKeepTheDirectionOfTheFloatVectors() {
        for (String model : List.of("all-minilm-l6-v2", "bge-small-zh-v1.5-q")) {
            float[][] floats = Embeddings.vectors(encoded(model, TEXTS, "float"));
            int[][] int8 = codes(encoded(model, TEXTS, "int8"));
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(int8[i]).hasSameSizeAs(floats[i]);
                assertThat(Arrays.stream(int8[i]).boxed().toList()).allSatisfy(c -> assertThat(c).isBetween(-128, 127));
                assertThat(Golden.cosine(asFloats(int8[i]), floats[i])).as(model + ": " + TEXTS.get(i)).isGreaterThan(0.999);
            }
            // The codes rank like the floats: the cold medicines are nearer each other than the tyres.
            assertThat(Golden.cosine(asFloats(int8[0]), asFloats(int8[1])))
                    .isGreaterThan(Golden.cosine(asFloats(int8[0]), asFloats(int8[2])));
        }
    }

    @Test
    void uint8IsInt8Shifted() {
        int[][] int8 = codes(encoded("bge-small-zh-v1.5-q", TEXTS, "int8"));
        int[][] uint8 = codes(encoded("bge-small-zh-v1.5-q", TEXTS, "uint8"));
        for (int i = 0; i < TEXTS.size(); i++) {
            for (int d = 0; d < int8[i].length; d++) {
                assertThat(uint8[i][d]).isEqualTo(int8[i][d] + 128).isBetween(0, 255);
            }
        }
    }

    @Test
    void binaryPacksTheSignOfEightDimensionsAByteFirstDimensionHighest() {
        float[][] floats = Embeddings.vectors(encoded("all-minilm-l6-v2", TEXTS, "float"));
        int[][] ubinary = codes(encoded("all-minilm-l6-v2", TEXTS, "ubinary"));
        int[][] binary = codes(encoded("all-minilm-l6-v2", TEXTS, "binary"));
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(ubinary[i]).hasSize(384 / 8);
            for (int d = 0; d < floats[i].length; d++) {
                boolean bit = (ubinary[i][d / 8] & (0x80 >>> (d % 8))) != 0;
                assertThat(bit).as("dimension " + d).isEqualTo(floats[i][d] > 0);
            }
            for (int b = 0; b < ubinary[i].length; b++) {
                assertThat(binary[i][b]).isEqualTo(ubinary[i][b] - 128);
            }
        }
    }

    @Test
    void aTextsCodesDoNotDependOnItsBatchMates() {
        String text = "退烧药多久起效 " + UUID.randomUUID();
        for (String encoding : List.of("int8", "uint8", "binary", "ubinary")) {
            int[] alone = codes(encoded("bge-small-zh-v1.5-q", List.of(text), encoding))[0];
            int[] inBatch = codes(encoded("bge-small-zh-v1.5-q", List.of("如何更换汽车轮胎", text, "一二三四五六七八九十"), encoding))[1];
            assertThat(inBatch).as(encoding).isEqualTo(alone);
        }
    }

    @Test
    void oneCachedVectorServesEveryEncoding() {
        String text = "how to change a tyre " + UUID.randomUUID();
        encoded("all-minilm-l6-v2", List.of(text), "float").then().header("x-cache-misses", "1");
        for (String encoding : List.of("base64", "int8", "uint8", "binary", "ubinary")) {
            encoded("all-minilm-l6-v2", List.of(text), encoding).then().header("x-cache-hits", "1");
        }
    }

    @Test
    void aModelWithoutCalibrationRefusesInt8ButTakesBinary() {
        Embeddings.post(Map.of("model", "plugin-model", "input", "abc", "encoding_format", "int8")).then().statusCode(400)
                .body("error.param", equalTo("encoding_format")).body("error.message", containsString("int8-max-abs"));
        encoded("plugin-model", List.of("abc"), "ubinary");
        Embeddings.post(Map.of("input", "abc", "encoding_format", "int4")).then().statusCode(400)
                .body("error.param", equalTo("encoding_format")).body("error.message", containsString("\"ubinary\""));
    }
}
