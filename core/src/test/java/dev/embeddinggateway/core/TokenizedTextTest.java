package dev.embeddinggateway.core;

import dev.embeddinggateway.core.support.Cl100k;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TokenizedTextTest {

    @Test
    void byteOffsetsBecomeCodePointOffsets() {
        String text = "héllo 😀 世界";
        // UTF-8: h(1) é(2) l l o, space, 😀(4), space, 世(3) 界(3)
        int[][] spans = TokenizedText.codePointSpans(text, new int[][]{null, {0, 6}, {7, 11}, {12, 15}, {15, 18}, {13, 14}});
        assertThat(spans[0]).isNull();
        assertThat(Arrays.copyOfRange(spans, 1, spans.length)).isDeepEqualTo(new int[][]{{0, 5}, {6, 7}, {8, 9}, {9, 10},
                {8, 9}});
    }

    @Test
    void cl100kTokensAreFoundInTheTextEvenWhereOneSplitsACharacter() {
        String text = "hello 世界 😀!";
        TokenizedText tokenized = Cl100k.tokenizeForClient(List.of(new Input.Text(text)), false)
                .toCompletableFuture().join().get(0);
        assertThat(tokenized.estimated()).isFalse();
        assertThat(tokenized.spans().length).isEqualTo(tokenized.tokens().count());
        int[] codePoints = text.codePoints().toArray();
        StringBuilder covered = new StringBuilder();
        int end = 0;
        for (int[] span : tokenized.spans()) {
            assertThat(span[0]).isLessThanOrEqualTo(span[1]);
            if (span[1] > end) {
                covered.append(new String(codePoints, Math.max(end, span[0]), span[1] - Math.max(end, span[0])));
                end = span[1];
            }
        }
        assertThat(covered.toString()).isEqualTo(text);
    }
}
