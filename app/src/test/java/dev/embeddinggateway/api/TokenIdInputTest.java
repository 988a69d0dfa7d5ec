package dev.embeddinggateway.api;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.embeddinggateway.golden.Golden;
import dev.embeddinggateway.testing.Embeddings;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Clients that pre-tokenize with cl100k_base (LangChain's OpenAIEmbeddings) get the vectors of the text. */
@QuarkusTest
class TokenIdInputTest {
    private static final Encoding CL100K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    private static final Golden GOLDEN = Golden.load(Golden.MINILM);

    private static List<Integer> ids(String text) {
        return CL100K.encode(text).boxed();
    }

    @Test
    void oneArrayOfTokenIdsIsOneInput() {
        Golden.Item item = GOLDEN.items().get(4);
        Response response = Embeddings.post(Map.of("input", ids(item.text())));
        response.then().statusCode(200);
        assertThat(Golden.cosine(Embeddings.vectors(response)[0], item.embedding())).isGreaterThanOrEqualTo(GOLDEN.minCosine());
        // Usage counts what the local model's own tokenizer saw, not the cl100k ids.
        assertThat(response.jsonPath().getInt("usage.prompt_tokens")).isEqualTo(item.tokens());
    }

    @Test
    void arraysOfTokenIdsAreInputsInOrder() {
        List<Golden.Item> items = GOLDEN.items().subList(0, 6);
        Response response = Embeddings.post(Map.of("input", items.stream().map(i -> ids(i.text())).toList()));
        float[][] vectors = Embeddings.vectors(response);
        for (int i = 0; i < items.size(); i++) {
            assertThat(Golden.cosine(vectors[i], items.get(i).embedding())).as(items.get(i).text())
                    .isGreaterThanOrEqualTo(GOLDEN.minCosine());
        }
    }
}
