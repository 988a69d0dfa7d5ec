package dev.embeddinggateway.it;

import dev.embeddinggateway.golden.Golden;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.output.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LangChain4j's OpenAiEmbeddingModel, pointed at the gateway (the shared one, of no configuration), works unchanged
 * and gets the reference vectors.
 */
@ExtendWith(SharedGateway.class)
class LangChain4jClientIT {
    private static final Golden MINILM = Golden.load(Golden.MINILM);
    private static GatewayProcess gateway;

    @BeforeAll
    static void start(GatewayProcess shared) {
        gateway = shared;
    }

    @Test
    void embedAllGivesTheReferenceVectorsAndTokenUsage() {
        OpenAiEmbeddingModel model = OpenAiEmbeddingModel.builder().baseUrl(gateway.url("/v1")).apiKey("unused")
                .modelName("all-minilm-l6-v2").build();
        List<Golden.Item> items = MINILM.items().subList(0, 6);
        Response<List<Embedding>> response = model.embedAll(items.stream().map(i -> TextSegment.from(i.text())).toList());
        for (int i = 0; i < items.size(); i++) {
            assertThat(Golden.cosine(response.content().get(i).vector(), items.get(i).embedding()))
                    .as(items.get(i).text()).isGreaterThanOrEqualTo(MINILM.minCosine());
        }
        assertThat(response.tokenUsage().inputTokenCount())
                .isEqualTo(items.stream().mapToInt(Golden.Item::tokens).sum());
        assertThat(model.dimension()).isEqualTo(384);
    }
}
