package dev.embeddinggateway.testing;

import dev.embeddinggateway.core.support.Vectors;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/**
 * The tests' one client of {@code POST /v1/embeddings}: what a client of the running gateway sends, and the vectors
 * it reads back. A body is a map (see {@link #body}) or JSON text, sent as it is; nothing is asserted here, so each
 * test says what it expects of the response.
 */
public final class Embeddings {
    public static final String PATH = "/v1/embeddings";

    private Embeddings() {
    }

    /** Posts {@code body} with no key. */
    public static Response post(Object body) {
        return post(given(), body);
    }

    /** Posts {@code body} with {@code key} as the bearer ({@code null}: no Authorization header). */
    public static Response post(String key, Object body) {
        return post(as(key), body);
    }

    /** Past the cache ({@code Cache-Control: no-store}): for tests of what the model or the providers compute. */
    public static Response postUncached(Object body) {
        return post(given().header("cache-control", "no-store"), body);
    }

    /** Past the cache, with {@code key} as the bearer ({@code null}: no Authorization header). */
    public static Response postUncached(String key, Object body) {
        return post(as(key).header("cache-control", "no-store"), body);
    }

    private static RequestSpecification as(String key) {
        return key == null ? given() : given().header("Authorization", "Bearer " + key);
    }

    private static Response post(RequestSpecification request, Object body) {
        return request.contentType(ContentType.JSON).body(body).post(PATH);
    }

    /**
     * A request body: {@code model} and {@code input}, then name/value pairs ({@code "dimensions", 256}…). A
     * {@code null} model or value leaves its field out.
     */
    public static Map<String, Object> body(String model, Object input, Object... more) {
        if (more.length % 2 != 0) {
            throw new IllegalArgumentException("name/value pairs expected: " + List.of(more));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (model != null) {
            body.put("model", model);
        }
        body.put("input", input);
        for (int i = 0; i < more.length; i += 2) {
            if (more[i + 1] != null) {
                body.put((String) more[i], more[i + 1]);
            }
        }
        return body;
    }

    /** The response's vectors in input order, decoded from floats or base64 alike. */
    public static float[][] vectors(Response response) {
        List<Object> embeddings = response.jsonPath().getList("data.embedding");
        float[][] vectors = new float[embeddings.size()][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = decode(embeddings.get(i));
        }
        return vectors;
    }

    /** The vector of input {@code index}, decoded from floats or base64 alike. */
    public static float[] vector(Response response, int index) {
        return decode(response.jsonPath().getList("data.embedding").get(index));
    }

    private static float[] decode(Object embedding) {
        if (embedding instanceof String b64) {
            return Vectors.fromBase64(b64);
        }
        List<?> values = (List<?>) embedding;
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((Number) values.get(i)).floatValue();
        }
        return v;
    }
}
