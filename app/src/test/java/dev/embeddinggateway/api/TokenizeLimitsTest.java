package dev.embeddinggateway.api;

import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.http.ApiException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code /v1/tokenize}'s bound on characters, before the tokenizer: past the test profile's body limit, hence
 * plain (TokenizeTest has the tokens' bound over HTTP).
 */
class TokenizeLimitsTest {
    @Test
    void charactersAndTokenIdsPastTheBoundAreA400NamingInput() {
        int most = (int) TokenizeResource.MAX_CHARACTERS;
        assertThatNoException().isThrownBy(() -> TokenizeResource.refuseTooLong(
                List.of(new Input.Text("a".repeat(most - 10)), new Input.TokenIds(new int[10]))));
        ApiException refused = catchThrowableOfType(() -> TokenizeResource.refuseTooLong(
                List.of(new Input.Text("a".repeat(most - 10)), new Input.TokenIds(new int[11]))), ApiException.class);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error().param()).isEqualTo("input");
        assertThat(refused.error().type()).isEqualTo("invalid_request_error");
        assertThat(refused.error().message()).contains("1200001 characters", "at most 1200000 characters");
    }
}
