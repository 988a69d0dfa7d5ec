package dev.embeddinggateway.limits;

/**
 * Whose limits a request counts against: an account's (an API key, or a team that shares an allotment) or a
 * provider instance's. {@link #id} names its counters in the limit store, on every replica alike.
 */
public record LimitHolder(String id) {

    /** The limits of a caller's account ({@code Caller.account()}). */
    public static LimitHolder account(String account) {
        return new LimitHolder("key:" + account);
    }

    /** The limits the gateway keeps for a provider instance. */
    public static LimitHolder provider(String name) {
        return new LimitHolder("provider:" + name);
    }
}
