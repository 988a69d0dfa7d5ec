package dev.embeddinggateway.api;

import dev.embeddinggateway.golden.Golden;
import dev.embeddinggateway.testing.Embeddings;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** A local model whose queue is full answers 503 overloaded with retry-after, and serves again once it drains. */
@QuarkusTest
class OverloadTest {

    @Test
    @Tag("slow") // load: 64 long texts queued while up to 200 requests probe
    void fullQueueIsA503ThatClears() {
        String longText = Golden.load(Golden.MINILM).items().get(14).text();
        // Rounds of work at a time: several of them, so that the small requests below find it queued.
        CompletableFuture<Response> large = CompletableFuture.supplyAsync(() -> Embeddings.postUncached(
                Map.of("model", "minilm-q-small-queue", "input", Collections.nCopies(64, longText))));
        Response overloaded = null;
        for (int i = 0; i < 200 && overloaded == null && !large.isDone(); i++) {
            Response small = Embeddings.postUncached(Map.of("model", "minilm-q-small-queue", "input", "small " + i));
            if (small.statusCode() == 503) {
                overloaded = small;
            }
        }
        assertThat(overloaded).as("a 503 while the large request is queued").isNotNull();
        overloaded.then().body("error.type", org.hamcrest.Matchers.equalTo("server_error"))
                .body("error.code", org.hamcrest.Matchers.equalTo("overloaded"));
        assertThat(Integer.parseInt(overloaded.getHeader("retry-after"))).isPositive();

        assertThat(large.join().statusCode()).isEqualTo(200);
        Embeddings.postUncached(Map.of("model", "minilm-q-small-queue", "input", "after the queue drained")).then()
                .statusCode(200);
    }
}
