package dev.embeddinggateway.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an operator sees when a provider instance's options are checked at start. */
class ProviderOptionsTest {
    enum Mode { FAST, EXACT }

    private static final ProviderOption<String> URL = ProviderOption.text("base-url", null, "the server").required();
    private static final ProviderOption<String> KEY = ProviderOption.text("api-key", null, "the key");
    private static final ProviderOption<Integer> MAX_BATCH_TOKENS = ProviderOption.integer("max-batch-tokens", "2048", "cap");
    private static final ProviderOption<Duration> TIMEOUT = ProviderOption.duration("timeout", "30s", "per call");
    private static final ProviderOption<Mode> MODE = ProviderOption.choice("mode", Mode.class, "exact", "how");

    private static ProviderOptions of(Map<String, String> configured) {
        return ProviderOptions.of("p", new ProviderFactory() {
            @Override
            public String type() {
                return "demo";
            }

            @Override
            public List<ProviderOption<?>> options() {
                return List.of(URL, KEY, MAX_BATCH_TOKENS, TIMEOUT, MODE);
            }

            @Override
            public EmbeddingProvider create(String name, ProviderOptions options) {
                throw new UnsupportedOperationException();
            }
        }, configured);
    }

    @Test
    void misspelledOptionIsRefusedNamingItAndTheClosestKnownOne() {
        assertThatThrownBy(() -> of(Map.of("base-url", "http://x", "max-batch-token", "1024")))
                .hasMessageContaining("gateway.providers.p.max-batch-token is not an option of provider type demo")
                .hasMessageContaining("did you mean max-batch-tokens?")
                .hasMessageContaining("api-key, base-url, max-batch-tokens, mode, timeout");
    }

    @Test
    void valuesAreTypedWithDefaultsAndBlankMeansUnset() {
        ProviderOptions options = of(Map.of("base-url", "http://x", "timeout", "500ms", "mode", "FAST", "api-key", " "));
        assertThat(options.get(TIMEOUT)).isEqualTo(Duration.ofMillis(500));
        assertThat(options.get(MAX_BATCH_TOKENS)).isEqualTo(2048);
        assertThat(options.get(MODE)).isEqualTo(Mode.FAST);
        assertThat(options.find(KEY)).isEmpty();
        assertThat(options.isSet(MAX_BATCH_TOKENS)).isFalse();
        assertThat(options.isSet(TIMEOUT)).isTrue();
    }

    @Test
    void aValueOfTheWrongTypeOrAMissingRequiredOptionIsRefused() {
        assertThatThrownBy(() -> of(Map.of("base-url", "http://x", "max-batch-tokens", "many")))
                .hasMessage("gateway.providers.p.max-batch-tokens: 'many' is not an integer");
        assertThatThrownBy(() -> of(Map.of("base-url", "http://x", "mode", "slow")))
                .hasMessageContaining("'slow' is not fast or exact");
        assertThatThrownBy(() -> of(Map.of()))
                .hasMessage("gateway.providers.p.base-url is required: the server");
    }

    @Test
    void anEnvironmentVariablesSpellingMeansTheSameOption() {
        // GATEWAY_PROVIDERS_P_MAX_BATCH_TOKENS reaches the gateway as max.batch.tokens.
        assertThat(of(Map.of("base-url", "http://x", "max.batch.tokens", "512")).get(MAX_BATCH_TOKENS)).isEqualTo(512);
        assertThat(of(Map.of("base-url", "http://x", "max.batch.tokens", "512", "max-batch-tokens", "512"))
                .get(MAX_BATCH_TOKENS)).isEqualTo(512);
        assertThatThrownBy(() -> of(Map.of("base-url", "http://x", "max.batch.tokens", "512", "max-batch-tokens", "1024")))
                .hasMessageContaining("gateway.providers.p.max-batch-tokens is set twice");
    }

    @Test
    void printedOptionsNameKeysNeverValues() {
        assertThat(of(Map.of("base-url", "http://x", "api-key", "sk-secret")).toString())
                .contains("api-key").doesNotContain("sk-secret");
    }
}
