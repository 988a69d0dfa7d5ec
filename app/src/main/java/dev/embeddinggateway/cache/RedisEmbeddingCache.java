package dev.embeddinggateway.cache;

import dev.embeddinggateway.core.Embedding;
import dev.embeddinggateway.http.LogText;
import dev.embeddinggateway.store.OncePerMinute;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The shared backend: one MGET per request for all its inputs, one pipelined batch of SET … PX to store,
 * binary values. Redis down or slow never fails a request: it is served computed, a warning is logged at
 * most once a minute, {@code gateway_cache_errors_total} counts it, and caching resumes when Redis does.
 */
final class RedisEmbeddingCache implements EmbeddingCache {
    private static final Logger LOG = Logger.getLogger(RedisEmbeddingCache.class);
    /** Bumped whenever the value format changes, so that old entries are never read. */
    static final String KEY_PREFIX = "embedding-gateway:v2:";

    private final Redis redis;
    private final Duration ttl;
    private final Duration timeout;
    private final Counter errors;
    private final Counter invalid;
    private final OncePerMinute warning = new OncePerMinute();
    private final OncePerMinute invalidWarning = new OncePerMinute();

    RedisEmbeddingCache(Redis redis, Duration ttl, Duration timeout, MeterRegistry registry) {
        this.redis = redis;
        this.ttl = ttl;
        this.timeout = timeout;
        this.errors = Counter.builder("gateway.cache.errors").description("Cache operations that failed (the request was served without the cache)")
                .tag("backend", backend()).register(registry);
        this.invalid = Counter.builder("gateway.cache.invalid.entries")
                .description("Cached values that were no valid embedding (recomputed and overwritten)")
                .tag("backend", backend()).register(registry);
    }

    @Override
    public CompletionStage<Map<String, Embedding>> getAll(List<String> keys, int dimensions) {
        Request mget = Request.cmd(Command.MGET);
        keys.forEach(key -> mget.arg(KEY_PREFIX + key));
        return redis.send(mget).ifNoItem().after(timeout).fail()
                .map(response -> found(keys, response, dimensions))
                .onFailure().recoverWithItem(error -> {
                    failed("read", error);
                    return Map.of();
                })
                .subscribeAsCompletionStage();
    }

    private Map<String, Embedding> found(List<String> keys, Response values, int dimensions) {
        Map<String, Embedding> found = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            Response value = values.get(i);
            if (value != null) {
                String key = keys.get(i);
                CachedEmbeddingCodec.decode(value.toBytes(), dimensions).ifPresentOrElse(e -> found.put(key, e), () -> {
                    invalid.increment();
                    if (invalidWarning.due()) {
                        LOG.warnf("Redis cache entry %s%s is no valid embedding of %d dimensions; it is recomputed and "
                                + "overwritten (gateway_cache_invalid_entries_total counts them)", KEY_PREFIX, key, dimensions);
                    }
                });
            }
        }
        return found;
    }

    @Override
    public void putAll(Map<String, Embedding> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<Request> sets = new ArrayList<>(entries.size());
        entries.forEach((key, embedding) -> sets.add(Request.cmd(Command.SET).arg(KEY_PREFIX + key)
                .arg(io.vertx.mutiny.core.buffer.Buffer.buffer(CachedEmbeddingCodec.encode(embedding)))
                .arg("PX").arg(ttl.toMillis())));
        redis.batch(sets).ifNoItem().after(timeout).fail()
                .subscribe().with(done -> { }, error -> failed("write", error));
    }

    private void failed(String operation, Throwable error) {
        errors.increment();
        if (warning.due()) {
            LOG.warnf("Redis cache %s failed (%s); requests are served without the cache until Redis answers again",
                    operation, LogText.escaped(error.getMessage()));
        }
    }

    @Override
    public String backend() {
        return "redis";
    }
}
