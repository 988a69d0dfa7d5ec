package dev.embeddinggateway.auth;

import dev.embeddinggateway.config.GatewayConfig;
import dev.embeddinggateway.core.support.DaemonThreads;
import dev.embeddinggateway.http.LogText;
import dev.embeddinggateway.limits.PerMinute;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Every key the gateway knows: from configuration ({@code gateway.keys.*}, {@code gateway.admin.key-sha256})
 * and from the database (admin API), re-read every few seconds so that every replica sees new and deleted
 * keys. A presented key is hashed and compared with every known hash in constant time.
 */
@Startup
@ApplicationScoped
public class KeyRegistry {
    private static final Logger LOG = Logger.getLogger(KeyRegistry.class);
    private static final long REFRESH_SECONDS = 5;

    private record Known(byte[] sha256, Caller caller) {
    }

    private final List<Known> configured = new ArrayList<>();
    private final Optional<byte[]> admin;
    private final StoredKeys stored;
    private volatile List<Known> fromDatabase = List.of();
    private final ScheduledExecutorService refresher =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("key-refresh"));

    public KeyRegistry(GatewayConfig config, StoredKeys stored) throws SQLException {
        this.stored = stored;
        config.keys().forEach((name, key) -> configured.add(new Known(
                Sha256.parseHex(key.sha256(), "gateway.keys." + name + ".sha256"),
                new Caller(name, key.team(), key.models().map(m -> Set.copyOf(m)), PerMinute.of(key.rateLimit(), "gateway.keys." + name + ".rate-limit"),
                        key.budget().monthlyUsd(), false))));
        admin = config.admin().keySha256().map(h -> Sha256.parseHex(h, "gateway.admin.key-sha256"));
        refresh();
        refresher.scheduleWithFixedDelay(this::refreshQuietly, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
        LOG.info(authenticationOn()
                ? "API keys required: " + configured.size() + " configured, " + fromDatabase.size() + " stored"
                + (admin.isPresent() ? ", admin key configured" : "")
                : "No API keys configured or stored: the gateway is open to every client");
    }

    /** On as soon as any key exists. */
    public boolean authenticationOn() {
        return !configured.isEmpty() || admin.isPresent() || !fromDatabase.isEmpty();
    }

    /** The caller a presented key belongs to, if any. */
    public Optional<Caller> authenticate(String presented) {
        byte[] hash = Sha256.of(presented);
        Caller found = null;
        // Every hash is compared, in constant time, whatever matched before.
        if (admin.isPresent() && MessageDigest.isEqual(admin.get(), hash)) {
            found = Caller.administrator();
        }
        for (Known known : configured) {
            if (MessageDigest.isEqual(known.sha256(), hash) && found == null) {
                found = known.caller();
            }
        }
        for (Known known : fromDatabase) {
            if (MessageDigest.isEqual(known.sha256(), hash) && found == null) {
                found = known.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The caller of a key by its id, as it is now (a batch job runs as the key that created it, with that key's
     * models, limits and budget); empty once the key is gone.
     */
    public Optional<Caller> byId(String keyId) {
        if (!authenticationOn()) {
            return Optional.of(Caller.ANONYMOUS).filter(c -> c.keyId().equals(keyId));
        }
        if (admin.isPresent() && keyId.equals(Caller.administrator().keyId())) {
            return Optional.of(Caller.administrator());
        }
        return Stream.concat(configured.stream(), fromDatabase.stream()).map(Known::caller)
                .filter(c -> c.keyId().equals(keyId)).findFirst();
    }

    /** Reads the stored keys again (after the admin API changed them here, or periodically). */
    void refresh() throws SQLException {
        fromDatabase = stored.all().stream().map(k -> new Known(k.sha256(), k.caller())).toList();
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("stored keys not re-read (%s); the last known ones stay", LogText.escaped(e.getMessage()));
        }
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
    }
}
