package dev.embeddinggateway.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogTextTest {
    @Test
    void controlCharactersCannotEndALine() {
        assertThat(LogText.escaped("alice\n2026-12-08 INFO audit: keys.delete by admin\r\u0085\u2028\u001b[31m"))
                .isEqualTo("alice\\n2026-12-08 INFO audit: keys.delete by admin\\r\\u0085\\u2028\\u001b[31m")
                .doesNotContain("\n", "\r");
    }

    @Test
    void backslashesAreDoubledSoAnEscapeIsNeverTheClientsText() {
        assertThat(LogText.escaped("a\\nb")).isEqualTo("a\\\\nb");
    }

    @Test
    void plainValuesAndNullAreKept() {
        assertThat(LogText.escaped("oidc:alice-é 日本")).isEqualTo("oidc:alice-é 日本");
        assertThat(LogText.escaped(null)).isNull();
    }
}
