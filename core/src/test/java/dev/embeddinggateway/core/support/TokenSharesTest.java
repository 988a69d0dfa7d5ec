package dev.embeddinggateway.core.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenSharesTest {

    @Test
    void agreeingCountsStayAsTheyAre() {
        assertThat(TokenShares.allocate(10, new int[]{3, 7})).containsExactly(3, 7);
    }

    @Test
    void anotherTokenizersTotalIsSharedInProportionAndAddsUp() {
        int[] shares = TokenShares.allocate(20, new int[]{1, 2, 3});
        assertThat(shares).containsExactly(4, 6, 10);
        assertThat(shares[0] + shares[1] + shares[2]).isEqualTo(20);
    }

    @Test
    void noReportKeepsTheEstimates() {
        assertThat(TokenShares.allocate(0, new int[]{2, 5})).containsExactly(2, 5);
    }
}
