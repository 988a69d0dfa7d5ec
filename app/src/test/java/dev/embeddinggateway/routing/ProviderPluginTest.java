package dev.embeddinggateway.routing;

import dev.embeddinggateway.testing.Embeddings;
import dev.embeddinggateway.testplugin.CharHistogramProviderFactory;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.embeddinggateway.testing.Embeddings.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider type found only in the test sources ({@code char-histogram}, registered in the tests'
 * META-INF/services) is discovered, configured from gateway.providers.x.*, and routed to.
 */
@QuarkusTest
class ProviderPluginTest {

    @Test
    void pluginServesItsModel() {
        Response response = Embeddings.post(body("plugin-model", List.of("hello plugin")));
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
        Embeddings.post(body("plugin-with-fallback", List.of("fallback"))).then().statusCode(200)
                .header("x-gateway-provider", "x");
    }

    @Test
    void localProviderNamesItselfToo() {
        Embeddings.post(body("all-minilm-l6-v2", List.of("local"))).then().statusCode(200).header("x-gateway-provider", "local");
    }
}
