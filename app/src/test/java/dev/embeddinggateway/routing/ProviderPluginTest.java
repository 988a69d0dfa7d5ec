package dev.embeddinggateway.routing;

import dev.embeddinggateway.testplugin.CharHistogramProviderFactory;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider type found only in the test sources ({@code char-histogram}, registered in the tests'
 * META-INF/services) is discovered, configured from gateway.providers.x.*, and routed to.
 */
@QuarkusTest
class ProviderPluginTest {

    private static Response embed(String model, String text) {
        return given().contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"input\":[\"" + text + "\"]}").post("/v1/embeddings");
    }

    @Test
    void pluginServesItsModel() {
        Response response = embed("plugin-model", "hello plugin");
        response.then().statusCode(200).header("x-gateway-provider", "x");
        List<Float> vector = response.jsonPath().getList("data[0].embedding", Float.class);
        float[] expected = CharHistogramProviderFactory.histogram("hello plugin", 16);
        assertThat(vector).hasSize(16);
        for (int i = 0; i < expected.length; i++) {
            assertThat(vector.get(i)).isEqualTo(expected[i]);
        }
        assertThat(response.jsonPath().getInt("usage.prompt_tokens")).isEqualTo("hello plugin".length());
    }

    @Test
    void failingProviderFallsBackToTheNextOfTheSameSpace() {
        embed("plugin-with-fallback", "fallback").then().statusCode(200).header("x-gateway-provider", "x");
    }

    @Test
    void localProviderNamesItselfToo() {
        embed("all-minilm-l6-v2", "local").then().statusCode(200).header("x-gateway-provider", "local");
    }
}
