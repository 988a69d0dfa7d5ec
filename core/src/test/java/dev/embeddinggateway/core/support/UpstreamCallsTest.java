package dev.embeddinggateway.core.support;

import dev.embeddinggateway.core.Priority;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One request cut into upstream calls: within the limits, at most so many in flight, merged back in input order. */
class UpstreamCallsTest {

    private static List<UpstreamCalls.Slice> cut(UpstreamCalls.Limits limits, int... tokens) {
        return UpstreamCalls.cut(tokens, limits);
    }

    @Test
    void callsTakeConsecutiveInputsUpToTheInputLimit() {
        assertThat(cut(UpstreamCalls.Limits.inputs(2), 1, 1, 1, 1, 1)).containsExactly(
                new UpstreamCalls.Slice(0, 2), new UpstreamCalls.Slice(2, 4), new UpstreamCalls.Slice(4, 5));
    }

    @Test
    void callsTakeInputsUpToTheTokenLimitAndAnInputLongerThanThatGoesAlone() {
        assertThat(cut(new UpstreamCalls.Limits(100, 10), 4, 6, 1, 12, 3)).containsExactly(
                new UpstreamCalls.Slice(0, 2), new UpstreamCalls.Slice(2, 3), new UpstreamCalls.Slice(3, 4),
                new UpstreamCalls.Slice(4, 5));
    }

    @Test
    void noInputIsNoCall() {
        assertThat(cut(UpstreamCalls.Limits.inputs(2))).isEmpty();
    }

    @Test
    void answersComingInAnyOrderAreMergedInInputOrderWithEachCallsCountShared() {
        UpstreamCalls calls = new UpstreamCalls(8);
        List<CompletableFuture<UpstreamCalls.Answer<String>>> upstream = new ArrayList<>();
        List<UpstreamCalls.Slice> sent = new ArrayList<>();
        CompletableFuture<UpstreamCalls.Merged<String>> merged = calls.send(new int[]{1, 3, 2, 2}, UpstreamCalls.Limits.inputs(2),
                Priority.INTERACTIVE, slice -> {
                    sent.add(slice);
                    CompletableFuture<UpstreamCalls.Answer<String>> answer = new CompletableFuture<>();
                    upstream.add(answer);
                    return answer;
                });
        assertThat(sent).hasSize(2);
        upstream.get(1).complete(new UpstreamCalls.Answer<>(List.of("c", "d"), OptionalInt.empty()));
        assertThat(merged).isNotDone();
        upstream.get(0).complete(new UpstreamCalls.Answer<>(List.of("a", "b"), OptionalInt.of(8)));

        UpstreamCalls.Merged<String> result = merged.join();
        assertThat(result.items()).containsExactly("a", "b", "c", "d");
        // The first call's 8 tokens shared 1:3; the second counted nothing: its inputs' own counts stand.
        assertThat(result.tokens()).containsExactly(2, 6, 2, 2);
        assertThat(result.total()).isEqualTo(12);
        assertThat(result.estimated()).isTrue();
    }

    @Test
    void atMostSoManyCallsAreInFlight() {
        UpstreamCalls calls = new UpstreamCalls(2);
        List<CompletableFuture<UpstreamCalls.Answer<Integer>>> upstream = new ArrayList<>();
        CompletableFuture<UpstreamCalls.Merged<Integer>> merged = calls.send(new int[]{1, 1, 1, 1, 1},
                UpstreamCalls.Limits.inputs(1), Priority.INTERACTIVE, slice -> {
                    CompletableFuture<UpstreamCalls.Answer<Integer>> answer = new CompletableFuture<>();
                    upstream.add(answer);
                    return answer;
                });
        assertThat(upstream).hasSize(2);
        for (int i = 0; i < 5; i++) {
            upstream.get(i).complete(new UpstreamCalls.Answer<>(List.of(i), OptionalInt.of(1)));
        }
        assertThat(merged.join().items()).containsExactly(0, 1, 2, 3, 4);
        assertThat(merged.join().estimated()).isFalse();
    }

    @Test
    void aFailedCallFailsTheRequest() {
        UpstreamCalls calls = UpstreamCalls.unbounded();
        IllegalStateException down = new IllegalStateException("down");
        CompletableFuture<UpstreamCalls.Merged<Integer>> merged = calls.send(IntStream.of(1, 1, 1).toArray(),
                UpstreamCalls.Limits.inputs(1), Priority.BATCH, slice -> slice.from() == 1
                        ? CompletableFuture.failedFuture(down)
                        : CompletableFuture.completedFuture(new UpstreamCalls.Answer<>(List.of(slice.from()), OptionalInt.empty())));
        assertThatThrownBy(merged::join).isInstanceOf(CompletionException.class).hasCause(down);
    }
}
