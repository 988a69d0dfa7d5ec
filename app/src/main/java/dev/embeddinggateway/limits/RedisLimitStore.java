package dev.embeddinggateway.limits;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Limits shared by every replica: one Redis hash per limit, changed by one atomic script per decision, on
 * Redis's own clock. The same semantics as the in-process Bucket4j buckets: the full amount every minute
 * from the limit's first use.
 */
final class RedisLimitStore implements LimitStore {
    static final String KEY_PREFIX = "embedding-gateway:limit:v1:";
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    /**
     * KEYS[1] the limit; ARGV: per minute, amount, mode (0 consume if enough, 1 take anyway, -1 give back).
     * Returns {allowed, remaining, milliseconds until the next full minute}.
     */
    private static final String SCRIPT = """
            local capacity = tonumber(ARGV[1])
            local amount = tonumber(ARGV[2])
            local mode = tonumber(ARGV[3])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local state = redis.call('HMGET', KEYS[1], 'tokens', 'start')
            local tokens = tonumber(state[1])
            local start = tonumber(state[2])
            if tokens == nil or now >= start + 60000 then
              tokens = capacity
              start = now
            end
            local allowed = 0
            if mode == -1 then
              tokens = math.min(capacity, tokens + amount)
              allowed = 1
            elseif mode == 1 or amount <= tokens then
              tokens = tokens - amount
              allowed = 1
            end
            redis.call('HSET', KEYS[1], 'tokens', tokens, 'start', start)
            redis.call('PEXPIRE', KEYS[1], 120000)
            return {allowed, tokens, start + 60000 - now}
            """;

    private final Redis redis;

    RedisLimitStore(Redis redis) {
        this.redis = redis;
    }

    private CompletionStage<Response> run(String id, long perMinute, long amount, int mode) {
        return redis.send(Request.cmd(Command.EVAL).arg(SCRIPT).arg(1).arg(KEY_PREFIX + id + "/" + perMinute)
                        .arg(perMinute).arg(amount).arg(mode))
                .ifNoItem().after(TIMEOUT).fail()
                .subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<LimitDecision> consume(String id, long perMinute, long amount) {
        return run(id, perMinute, amount, 0).thenApply(r -> new LimitDecision(r.get(0).toInteger() == 1, perMinute,
                Math.max(0, r.get(1).toLong()), Duration.ofMillis(Math.max(0, r.get(2).toLong()))));
    }

    @Override
    public CompletionStage<Void> adjust(String id, long perMinute, long delta) {
        return delta == 0 ? CompletableFuture.completedFuture(null)
                : run(id, perMinute, Math.abs(delta), delta > 0 ? 1 : -1).thenApply(r -> null);
    }
}
