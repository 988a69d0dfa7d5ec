package dev.embeddinggateway.limits;

/** Why the gateway's own limits refuse a request; {@link #tag} names it in meters and in OpenAI's error type. */
public enum Refusal {
    /** The holder's requests per minute are used up for now. */
    REQUESTS("requests"),
    /** The holder's tokens per minute are used up for now. */
    TOKENS("tokens"),
    /** More tokens than a whole minute allows: no wait helps. */
    TOO_LARGE("request_size"),
    /** The rate-limit store could not decide, and the policy denies. */
    STORE("store"),
    /** The caller's monthly budget is spent. */
    BUDGET("budget");

    private final String tag;

    Refusal(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
