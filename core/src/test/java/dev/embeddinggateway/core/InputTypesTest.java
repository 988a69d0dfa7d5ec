package dev.embeddinggateway.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InputTypesTest {

    @Test
    void queryAndDocumentAreAlwaysAcceptedTheOthersOnlyWhereTheModelHasThem() {
        assertThat(InputTypes.NONE.accepted()).containsExactly("query", "document");
        InputTypes nomic = new InputTypes(Map.of("clustering", "clustering: "), Set.of("classification"), Optional.empty());
        assertThat(nomic.accepted()).containsExactly("query", "document", "classification", "clustering");
        assertThat(nomic.effective(null, "m")).isEmpty();
        assertThat(nomic.effective("clustering", "m")).contains("clustering");
        assertThatThrownBy(() -> InputTypes.NONE.effective("clustering", "minilm")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("query, document for model minilm");
    }

    @Test
    void theDefaultServesARequestNamingNoneAndConfigurationOverridesTheModel() {
        InputTypes own = new InputTypes(Map.of("query", "q: "), Set.of(), Optional.of("query"));
        InputTypes configured = own.overriddenBy(Map.of("document", "d: "), Optional.of("document"));
        assertThat(configured.prompts()).containsOnly(Map.entry("query", "q: "), Map.entry("document", "d: "));
        assertThat(configured.effective(null, "m")).contains("document");
        assertThat(own.overriddenBy(Map.of(), Optional.empty()).effective(null, "m")).contains("query");
        assertThatThrownBy(() -> own.overriddenBy(Map.of("search", "s: "), Optional.empty()))
                .hasMessageContaining("'search' is not an input type");
    }

    @Test
    void sentenceTransformersPromptNamesMapToInputTypes() {
        assertThat(List.of("query", "search_query", "passage", "search_document", "document", "Classification", "retrieval")
                .stream().map(n -> InputTypes.fromPromptName(n).orElse("-")).toList())
                .containsExactly("query", "query", "document", "document", "document", "classification", "-");
    }

    @Test
    void aProvidersMappingIsParsedAndCheckedByType() {
        assertThat(InputTypes.parseMapping("query=query, document=passage")).containsExactly(
                Map.entry("query", "query"), Map.entry("document", "passage"));
        assertThatThrownBy(() -> InputTypes.parseMapping("query")).hasMessageContaining("not input_type=name");
        assertThatThrownBy(() -> InputTypes.parseMapping("question=q")).hasMessageContaining("'question' is not an input type");
    }
}
