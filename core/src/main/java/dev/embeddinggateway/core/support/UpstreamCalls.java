package dev.embeddinggateway.core.support;

import dev.embeddinggateway.core.Priority;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The rule that cuts one request into upstream calls, for every provider in front of an upstream that takes so many
 * inputs a call: consecutive inputs, at most so many inputs and so many tokens a call ({@link Limits}); the calls
 * sent at once, at most {@code maxConcurrency} in flight ({@link AsyncLimiter}: interactive work ahead of batch-job
 * work); their answers merged back in input order, each call's token count, where the upstream gives one, shared
 * among its inputs in proportion to their own counts ({@link TokenShares}).
 * <p>
 * An input here is whatever the provider sends upstream as one: a client's input, or one window of it.
 */
public final class UpstreamCalls {
    private final AsyncLimiter limiter;

    /** @param maxConcurrency the most calls in flight at once, the calls of every request together */
    public UpstreamCalls(int maxConcurrency) {
        this.limiter = new AsyncLimiter(maxConcurrency);
    }

    /** Calls with no bound of the provider's own on how many are in flight (the upstream queues them itself). */
    public static UpstreamCalls unbounded() {
        return new UpstreamCalls(Integer.MAX_VALUE);
    }

    /**
     * The most one call may carry: so many inputs, and so many tokens all together (an input longer than that alone
     * is a call of its own).
     */
    public record Limits(int inputs, long tokens) {
        public Limits {
            if (inputs < 1 || tokens < 1) {
                throw new IllegalArgumentException("a call carries at least one input: " + inputs + " inputs, "
                        + tokens + " tokens");
            }
        }

        /** So many inputs a call, whatever their tokens. */
        public static Limits inputs(int inputs) {
            return new Limits(inputs, Long.MAX_VALUE);
        }
    }

    /** One call's inputs: {@code [from, to)} of the request's. */
    public record Slice(int from, int to) {
        public int size() {
            return to - from;
        }
    }

    /**
     * One call's answer, checked by the provider: an item (a vector, say) per input of the call, in its order.
     *
     * @param tokens the upstream's token count of the whole call, shared among its inputs; empty where it gave none
     *               (or where each item carries its own count)
     */
    public record Answer<V>(List<V> items, OptionalInt tokens) {
    }

    /**
     * The answers of every call, in input order.
     *
     * @param items     one per input
     * @param tokens    one per input: its share of its call's count, or its own count where the call gave none
     * @param total     the calls' counts together, the inputs' own counts standing in for a call that gave none
     * @param estimated whether a call gave no count
     */
    public record Merged<V>(List<V> items, int[] tokens, int total, boolean estimated) {
    }

    /**
     * Cuts the inputs into consecutive calls within {@code limits}; none for no input.
     *
     * @param tokens each input's token count (the gateway's own, an estimate for an upstream with another tokenizer)
     */
    public static List<Slice> cut(int[] tokens, Limits limits) {
        List<Slice> calls = new ArrayList<>();
        int from = 0;
        long sum = 0;
        for (int i = 0; i < tokens.length; i++) {
            if (i > from && (i - from == limits.inputs() || sum + tokens[i] > limits.tokens())) {
                calls.add(new Slice(from, i));
                from = i;
                sum = 0;
            }
            sum += tokens[i];
        }
        if (tokens.length > 0) {
            calls.add(new Slice(from, tokens.length));
        }
        return calls;
    }

    /**
     * Cuts the inputs into calls ({@link #cut}), sends each through {@code call} at once within this instance's
     * bound on calls in flight, and merges the answers once every call is done. Completes exceptionally with the
     * failure of a call (once all have ended) when one fails.
     *
     * @param tokens each input's token count, by which calls are cut and a call's count is shared
     * @param call   one upstream call for the inputs of a slice
     */
    public <V> CompletableFuture<Merged<V>> send(int[] tokens, Limits limits, Priority priority,
                                                Function<Slice, CompletableFuture<Answer<V>>> call) {
        List<Slice> slices = cut(tokens, limits);
        List<CompletableFuture<Answer<V>>> answers = slices.stream()
                .map(slice -> limiter.submit(priority, () -> call.apply(slice))).toList();
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(done -> merge(tokens, slices, answers.stream().map(CompletableFuture::join).toList()));
    }

    private static <V> Merged<V> merge(int[] tokens, List<Slice> slices, List<Answer<V>> answers) {
        List<V> items = new ArrayList<>(tokens.length);
        int[] counted = new int[tokens.length];
        int total = 0;
        boolean estimated = false;
        for (int c = 0; c < slices.size(); c++) {
            Slice slice = slices.get(c);
            Answer<V> answer = answers.get(c);
            if (answer.items().size() != slice.size()) {
                // The provider checks its upstream's answer first, with a message of its own: this is its bug.
                throw new IllegalStateException(answer.items().size() + " items for a call of " + slice.size() + " inputs");
            }
            int[] own = Arrays.copyOfRange(tokens, slice.from(), slice.to());
            int[] shares = answer.tokens().isPresent() ? TokenShares.allocate(answer.tokens().getAsInt(), own) : own;
            System.arraycopy(shares, 0, counted, slice.from(), shares.length);
            items.addAll(answer.items());
            total += answer.tokens().orElse(IntStream.of(own).sum());
            estimated |= answer.tokens().isEmpty();
        }
        return new Merged<>(items, counted, total, estimated);
    }
}
