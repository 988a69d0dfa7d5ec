package dev.embeddinggateway.limits;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Limits shared by every replica: one Redis hash per limit, and one atomic script per request that decides both of
 * a holder's limits at once, on Redis's own clock. The same semantics as the in-process Bucket4j buckets: the full
 * amount every minute from the limit's first use.
 */
final class RedisLimitStore implements LimitStore {
    static final String KEY_PREFIX = "embedding-gateway:limit:v2:";
    /**
     * How long a decision may take before it counts as Redis failing. Generous: under a burst, commands wait their
     * turn in the client, and a busy client is no failure of Redis (which answers each in well under a millisecond).
     */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** The state of one limit, refilled in full once its minute has passed: shared by both scripts. */
    private static final String STATE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local function load(key, capacity)
              local state = redis.call('HMGET', key, 'tokens', 'start')
              local left = tonumber(state[1])
              local start = tonumber(state[2])
              if left == nil or now >= start + 60000 then
                return capacity, now
              end
              return left, start
            end
            local function save(key, left, start)
              redis.call('HSET', key, 'tokens', left, 'start', start)
              redis.call('PEXPIRE', key, 120000)
            end
            """;
    /**
     * KEYS: the requests limit, the tokens limit; ARGV: requests per minute, tokens per minute (0: no such limit),
     * tokens asked for. Takes one request and the tokens when both have that much left, else nothing. Returns
     * {allowed, then per limit: whether it had enough, what is left, milliseconds until its next full minute}.
     */
    private static final String ADMIT = STATE + """
            local asked = {1, tonumber(ARGV[3])}
            local capacity = {tonumber(ARGV[1]), tonumber(ARGV[2])}
            local left, start, enough = {}, {}, {}
            local allowed = 1
            for i = 1, 2 do
              if capacity[i] > 0 then
                left[i], start[i] = load(KEYS[i], capacity[i])
                enough[i] = asked[i] <= left[i] and 1 or 0
                allowed = allowed * enough[i]
              end
            end
            local result = {allowed}
            for i = 1, 2 do
              if capacity[i] > 0 then
                if allowed == 1 then
                  left[i] = left[i] - asked[i]
                end
                save(KEYS[i], left[i], start[i])
                table.insert(result, enough[i])
                table.insert(result, left[i])
                table.insert(result, start[i] + 60000 - now)
              else
                table.insert(result, -1)
                table.insert(result, 0)
                table.insert(result, 0)
              end
            end
            return result
            """;
    /** KEYS[1] a limit; ARGV: per minute, a delta (positive takes more, even past the limit; negative gives back). */
    private static final String ADJUST = STATE + """
            local capacity = tonumber(ARGV[1])
            local left, start = load(KEYS[1], capacity)
            save(KEYS[1], math.min(capacity, left - tonumber(ARGV[2])), start)
            return 1
            """;

    private final Redis redis;

    RedisLimitStore(Redis redis) {
        this.redis = redis;
    }

    /** The key of one of a holder's limits; the hash tag keeps both of them on one Redis Cluster node. */
    private static String key(String holder, String kind, long perMinute) {
        return KEY_PREFIX + "{" + holder + "}:" + kind + "/" + perMinute;
    }

    @Override
    public CompletionStage<Admission> admit(String holder, PerMinute limit, long tokens) {
        long rpm = limit.requests().orElse(0L);
        long tpm = limit.tokens().orElse(0L);
        Request script = Request.cmd(Command.EVAL).arg(ADMIT).arg(2).arg(key(holder, "requests", rpm))
                .arg(key(holder, "tokens", tpm)).arg(rpm).arg(tpm).arg(tokens);
        return redis.send(script).ifNoItem().after(TIMEOUT).fail().subscribeAsCompletionStage()
                .thenApply(r -> new Admission(decision(r, 1, rpm), decision(r, 4, tpm)));
    }

    private static Optional<LimitDecision> decision(Response result, int at, long perMinute) {
        long enough = result.get(at).toLong();
        return enough < 0 ? Optional.empty() : Optional.of(new LimitDecision(enough == 1, perMinute,
                Math.max(0, result.get(at + 1).toLong()), Duration.ofMillis(Math.max(0, result.get(at + 2).toLong()))));
    }

    @Override
    public CompletionStage<Void> adjustTokens(String holder, long perMinute, long delta) {
        return delta == 0 ? CompletableFuture.completedFuture(null)
                : redis.send(Request.cmd(Command.EVAL).arg(ADJUST).arg(1).arg(key(holder, "tokens", perMinute))
                        .arg(perMinute).arg(delta)).ifNoItem().after(TIMEOUT).fail().subscribeAsCompletionStage()
                .thenApply(r -> null);
    }
}
