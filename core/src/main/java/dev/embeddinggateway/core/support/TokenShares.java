package dev.embeddinggateway.core.support;

/**
 * Splits the token count an upstream reported for a whole call among its inputs, in proportion to the
 * gateway's own cl100k_base counts. For OpenAI the two agree; for a server with another tokenizer (another
 * gateway's local model, say) each input then carries its share of the upstream's figure, and the shares
 * add up to it exactly.
 */
public final class TokenShares {
    private TokenShares() {
    }

    public static int[] allocate(int reported, int[] estimates) {
        long estimated = 0;
        for (int e : estimates) {
            estimated += e;
        }
        int[] shares = new int[estimates.length];
        if (estimated == 0 || reported <= 0) {
            return estimates.clone();
        }
        int given = 0;
        for (int i = 0; i < estimates.length; i++) {
            shares[i] = (int) (estimates[i] * (long) reported / estimated);
            given += shares[i];
        }
        // Rounding down leaves fewer than estimates.length tokens over: one more each for the first inputs.
        for (int i = 0; given < reported; i = (i + 1) % shares.length) {
            shares[i]++;
            given++;
        }
        return shares;
    }
}
