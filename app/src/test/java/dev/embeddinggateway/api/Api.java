package dev.embeddinggateway.api;

import dev.embeddinggateway.core.Vectors;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** What a client of the running gateway does: post to /v1/embeddings and read the vectors back. */
final class Api {
    private Api() {
    }

    static Response embed(Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/embeddings");
    }

    /** Past the cache ({@code Cache-Control: no-store}): for tests of what the model computes. */
    static Response embedUncached(Map<String, ?> body) {
        return given().header("cache-control", "no-store").contentType(ContentType.JSON).body(body).post("/v1/embeddings");
    }

    static Response embedRaw(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/embeddings");
    }

    /** The response's vectors in input order, decoded from floats or base64 alike. */
    static float[][] vectors(Response response) {
        List<Object> embeddings = response.jsonPath().getList("data.embedding");
        float[][] vectors = new float[embeddings.size()][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = embeddings.get(i) instanceof String b64 ? Vectors.fromBase64(b64) : fromJson((List<?>) embeddings.get(i));
        }
        return vectors;
    }

    private static float[] fromJson(List<?> values) {
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((Number) values.get(i)).floatValue();
        }
        return v;
    }
}
