package dev.embeddinggateway.limits;

import dev.embeddinggateway.config.Backend;
import dev.embeddinggateway.config.GatewayConfig;
import dev.embeddinggateway.http.LogText;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * The Redis that keeps rate-limit counters: the named client {@code limits} ({@code quarkus.redis.limits.hosts}) when
 * it is configured, else the one the cache uses. Counters must outlive cache entries, and eviction is a whole
 * instance's policy: at start, a limits Redis that may evict keys (any {@code maxmemory-policy} but
 * {@code noeviction}) is a WARN, since counters evicted under cache pressure let keys past their limits.
 */
@ApplicationScoped
public class LimitsRedis {
    private static final Logger LOG = Logger.getLogger(LimitsRedis.class);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);
    private final boolean used;
    private final boolean ownClient;
    private final Redis client;

    public LimitsRedis(GatewayConfig config, Instance<Redis> shared, @RedisClientName("limits") InjectableInstance<Redis> own) {
        used = config.rateLimit().backend() == Backend.REDIS;
        // An unconfigured named client is inactive (Quarkus): the shared one then keeps the counters.
        Redis named = used ? own.listActive().stream().findFirst().orElse(null) : null;
        ownClient = named != null;
        client = !used ? null : ownClient ? named : shared.get();
    }

    Redis client() {
        return client;
    }

    /** {@code maxmemory_policy} of an {@code INFO memory} answer; {@code noeviction} when it has none (an old Redis). */
    static String policy(String info) {
        return info.lines().filter(line -> line.startsWith("maxmemory_policy:")).findFirst()
                .map(line -> line.substring("maxmemory_policy:".length()).trim()).orElse("noeviction");
    }

    void checkEviction(@Observes StartupEvent started) {
        if (!used) {
            return;
        }
        // INFO rather than CONFIG GET: managed services (ElastiCache, Memorystore) refuse CONFIG.
        client.send(Request.cmd(Command.INFO).arg("memory")).ifNoItem().after(CHECK_TIMEOUT).fail()
                .subscribe().with(answer -> {
                    String policy = policy(answer == null ? "" : answer.toString());
                    if (!"noeviction".equals(policy)) {
                        LOG.warnf("Rate limits are counted in %s whose maxmemory-policy is %s: under memory pressure it "
                                + "evicts limit counters, and keys get past their limits. Give limits a Redis of their "
                                + "own with maxmemory-policy noeviction (quarkus.redis.limits.hosts)",
                                ownClient ? "a Redis (quarkus.redis.limits.hosts)" : "the Redis the cache shares "
                                        + "(quarkus.redis.hosts)", LogText.escaped(policy));
                    } else {
                        LOG.infof("Rate limits: counted in %s, maxmemory-policy noeviction", ownClient
                                ? "a Redis of their own (quarkus.redis.limits.hosts)" : "Redis (quarkus.redis.hosts)");
                    }
                }, error -> LOG.infof("Rate limits: the Redis's maxmemory-policy could not be read (%s); make it "
                        + "noeviction, or give limits a Redis of their own (quarkus.redis.limits.hosts)",
                        LogText.escaped(error.getMessage())));
    }
}
