package dev.embeddinggateway.core;

import java.nio.charset.StandardCharsets;

/**
 * One input as a client's tokenize call sees it: for chunkers, which must know how many tokens the model will see
 * and where each token lies in their text.
 *
 * @param tokens    as {@link EmbeddingProvider#tokenize} counts them for the embeddings call
 * @param spans     each token's {@code [start, end)} in the text it was given, in characters (Unicode code points);
 *                  a null entry for a token of no characters (a special token); null as a whole when the tokenizer
 *                  gives no offsets
 * @param estimated whether the count is an estimate: the model's own tokenizer is not at hand
 */
public record TokenizedText(Tokens tokens, int[][] spans, boolean estimated) {

    /**
     * Byte offsets in {@code text}'s UTF-8 as code-point offsets: a start inside a character moves back to it, an
     * end inside one moves past it. Null spans stay null.
     */
    public static int[][] codePointSpans(String text, int[][] byteSpans) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        // charAt[b]: the code point holding byte b; charAt[utf8.length]: the code point count.
        int[] charAt = new int[utf8.length + 1];
        int chars = -1;
        for (int b = 0; b < utf8.length; b++) {
            if ((utf8[b] & 0xC0) != 0x80) {
                chars++;
            }
            charAt[b] = chars;
        }
        charAt[utf8.length] = chars + 1;
        int[][] spans = new int[byteSpans.length][];
        for (int i = 0; i < byteSpans.length; i++) {
            int[] s = byteSpans[i];
            if (s != null) {
                int start = charAt[Math.min(s[0], utf8.length)];
                int end = s[1] <= 0 ? 0 : Math.min(charAt[Math.min(s[1] - 1, utf8.length)] + 1, charAt[utf8.length]);
                spans[i] = new int[]{start, Math.max(start, end)};
            }
        }
        return spans;
    }
}
