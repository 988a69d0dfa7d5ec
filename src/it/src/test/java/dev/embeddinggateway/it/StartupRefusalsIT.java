package dev.embeddinggateway.it;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The packaged gateway with a misspelled provider option, or a model's setting that cannot hold, does not start:
 * it exits with a message naming the setting (and the option meant), and never the value (which may be a key).
 */
class StartupRefusalsIT {

    @Test
    void aMisspelledLocalOptionStopsTheStartNamingTheOptionMeant() {
        assertThatThrownBy(() -> GatewayProcess.start(Map.of("gateway.providers.local.type", "onnx",
                "gateway.providers.local.max-batch-token", "1024")))
                .hasMessageContaining("gateway exited with")
                .hasMessageContaining("gateway.providers.local.max-batch-token is not an option of provider type onnx; "
                        + "did you mean max-batch-tokens?");
    }

    @Test
    void aMisspelledUpstreamOptionIsNamedButItsValueIsNotPrinted() {
        assertThatThrownBy(() -> GatewayProcess.start(Map.of("gateway.providers.openai.type", "openai",
                "gateway.providers.openai.api-kee", "sk-never-print-this")))
                .hasMessageContaining("gateway.providers.openai.api-kee is not an option of provider type openai; "
                        + "did you mean api-key?")
                .satisfies(refused -> assertThat(refused.getMessage()).doesNotContain("sk-never-print-this"));
    }

    @Test
    void weightsOfAProviderTheModelDoesNotListStopTheStart() {
        assertThatThrownBy(() -> GatewayProcess.start(Map.of("gateway.providers.local.type", "onnx",
                "gateway.models.\"all-minilm-l6-v2\".providers", "local",
                "gateway.models.\"all-minilm-l6-v2\".routing", "weighted",
                "gateway.models.\"all-minilm-l6-v2\".weights.locale", "2")))
                .hasMessageContaining("gateway.models.\"all-minilm-l6-v2\".weights.locale names no provider of the model; "
                        + "its providers: local");
    }

    @Test
    void aPromptForAnUnknownInputTypeStopsTheStart() {
        assertThatThrownBy(() -> GatewayProcess.start(Map.of("gateway.providers.local.type", "onnx",
                "gateway.models.\"all-minilm-l6-v2\".providers", "local",
                "gateway.models.\"all-minilm-l6-v2\".prompts.search", "search: ")))
                .hasMessageContaining("'search' is not an input type; input types: query, document, classification, clustering");
    }
}
