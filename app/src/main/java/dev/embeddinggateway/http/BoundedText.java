package dev.embeddinggateway.http;

/**
 * A client's text checked against the column that keeps it, before it reaches the database: a 400 naming the field
 * is the answer, not the store's refusal (which reads as the store being down). U+0000 is refused too: PostgreSQL's
 * text cannot hold it.
 */
public final class BoundedText {
    private BoundedText() {
    }

    /** Whether {@code value} fits a column of {@code maxChars} characters. */
    public static boolean fits(String value, int maxChars) {
        return value.length() <= maxChars && value.indexOf('\u0000') < 0;
    }

    /** @throws ApiException 400 naming {@code param} when {@code value} does not {@link #fits fit} */
    public static String check(String value, int maxChars, String param) {
        if (!fits(value, maxChars)) {
            throw ApiException.invalid("'" + param + "' must be at most " + maxChars
                    + " characters, without U+0000; " + value.length() + " were sent.", param);
        }
        return value;
    }
}
