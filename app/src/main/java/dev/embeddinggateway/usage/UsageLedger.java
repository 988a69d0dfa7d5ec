package dev.embeddinggateway.usage;

import dev.embeddinggateway.config.GatewayConfig;
import dev.embeddinggateway.core.support.DaemonThreads;
import dev.embeddinggateway.http.LogText;
import dev.embeddinggateway.routing.ProviderResult;
import dev.embeddinggateway.routing.Route;
import dev.embeddinggateway.store.Database;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every request used and cost, per minute, key, team, provider and model. Requests only add to sums
 * in memory; a background flush writes them to the store every {@code gateway.usage.flush-interval} and at
 * shutdown. A store that is down is retried on every flush while usage stays buffered (bounded).
 */
@Startup
@ApplicationScoped
public class UsageLedger {
    private static final Logger LOG = Logger.getLogger(UsageLedger.class);
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private final UsageStore store;
    private final UsageMeters meters;
    private final int maxBufferedRows;
    private final Map<UsageRow.Id, UsageRow.Totals> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("usage-flush"));
    private final Counter dropped;
    private final Counter flushFailures;
    private final AtomicLong failingSince = new AtomicLong();

    public UsageLedger(GatewayConfig config, Database database, UsageMeters meters, MeterRegistry registry) {
        this.store = new UsageStore(database);
        this.meters = meters;
        this.maxBufferedRows = config.usage().maxBufferedRows();
        Gauge.builder("gateway.usage.buffered.rows", pending, Map::size).description("Usage rows not yet written to the store")
                .register(registry);
        this.dropped = Counter.builder("gateway.usage.dropped.rows").description("Usage rows dropped: the buffer was full")
                .register(registry);
        this.flushFailures = Counter.builder("gateway.usage.flush.failures").description("Writes to the usage store that failed")
                .register(registry);
        long interval = config.usage().flushInterval().toMillis();
        flusher.scheduleWithFixedDelay(this::flushQuietly, interval, interval, TimeUnit.MILLISECONDS);
        LOG.infof("Usage ledger: %s, written every %d ms: a crash loses at most the last %d ms of usage",
                database.description(), interval, interval);
    }

    /**
     * Adds one answered request.
     *
     * @param work interactive, or the batch job it was part of
     * @return what the request cost at the provider, USD
     */
    public BigDecimal record(Route route, ProviderResult served, String apiKey, String team, Work work) {
        UsageRow row = usage(route, served, apiKey, team, work);
        add(row);
        return row.totals().costUsd();
    }

    /**
     * What one answered request used and cost, counted in the usage meters but not yet in the ledger: a batch line's
     * usage is {@link #store stored} with its result, so that only a stored result is billed.
     */
    public UsageRow usage(Route route, ProviderResult served, String apiKey, String team, Work work) {
        BigDecimal price = route.pricePerMillionTokens();
        UsageRow.Totals totals = new UsageRow.Totals(1, served.result().promptTokens(), served.billedTokens(),
                served.estimatedTokens(), served.cachedTokens(), usd(served.billedTokens(), price), usd(served.cachedTokens(), price));
        meters.recorded(served.provider(), route.name(), team, totals);
        return new UsageRow(Instant.now().truncatedTo(ChronoUnit.MINUTES), apiKey, team, served.provider(), route.name(),
                work, totals);
    }

    /** Adds a request's usage to what the next flush writes. */
    public void add(UsageRow row) {
        if (pending.size() >= maxBufferedRows && !pending.containsKey(row.id())) {
            dropped.increment();
        } else {
            pending.merge(row.id(), row.totals(), UsageRow.Totals::plus);
        }
    }

    /** Writes {@code rows} on {@code connection}, in its transaction: the caller commits them with what they paid for. */
    public void store(Connection connection, Collection<UsageRow> rows) throws SQLException {
        store.add(connection, rows);
    }

    /** Whether usage is still kept: written to the store, or buffered while it is away and the buffer has room. */
    public boolean keeping() {
        return failingSince.get() == 0 || pending.size() < maxBufferedRows;
    }

    /** For readiness: how usage reaches the store now. */
    public String state() {
        long since = failingSince.get();
        return since == 0 ? "written every flush" : "store unreachable since " + Instant.ofEpochMilli(since) + ", "
                + pending.size() + " rows buffered of " + maxBufferedRows;
    }

    /** What a key spent since {@code from}: written and pending alike (no flush can slip in between). */
    public synchronized BigDecimal costSince(String apiKey, Instant from) throws SQLException {
        BigDecimal pendingCost = pending.entrySet().stream()
                .filter(e -> e.getKey().apiKey().equals(apiKey) && !e.getKey().bucket().isBefore(from))
                .map(e -> e.getValue().costUsd()).reduce(BigDecimal.ZERO, BigDecimal::add);
        return pendingCost.add(store.costSince(apiKey, from));
    }

    /** The cost of {@code tokens} at a price per million, USD. */
    public static BigDecimal usd(long tokens, BigDecimal pricePerMillion) {
        return BigDecimal.valueOf(tokens).multiply(pricePerMillion).divide(MILLION, 12, RoundingMode.HALF_EVEN)
                .stripTrailingZeros();
    }

    /** Sums of [from, to) from the store, after writing what is pending so that they are current. */
    public List<UsageStore.Sum> sum(Instant from, Instant to, List<String> groupBy, Optional<String> team) throws SQLException {
        flush();
        return store.sum(from, to, groupBy, team);
    }

    private void flushQuietly() {
        try {
            flush();
            if (failingSince.getAndSet(0) != 0) {
                LOG.info("Usage store reachable again; buffered usage written");
            }
        } catch (SQLException | RuntimeException e) {
            flushFailures.increment();
            if (failingSince.compareAndSet(0, System.currentTimeMillis())) {
                LOG.warnf("Usage store unreachable (%s); usage stays buffered (%d rows) and is retried every flush",
                        LogText.escaped(e.getMessage()), pending.size());
            }
        }
    }

    /** Writes what is pending; on failure puts it back, to be retried. */
    private synchronized void flush() throws SQLException {
        List<UsageRow> rows = new ArrayList<>();
        for (UsageRow.Id id : List.copyOf(pending.keySet())) {
            UsageRow.Totals totals = pending.remove(id);
            if (totals != null) {
                rows.add(new UsageRow(id.bucket(), id.apiKey(), id.team(), id.provider(), id.model(), id.work(), totals));
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        try {
            store.add(rows);
        } catch (SQLException | RuntimeException e) {
            rows.forEach(row -> pending.merge(row.id(), row.totals(), UsageRow.Totals::plus));
            throw e;
        }
    }

    void close(@Observes ShutdownEvent event) {
        flusher.shutdown();
        try {
            flusher.awaitTermination(10, TimeUnit.SECONDS);
            flush();
        } catch (SQLException | RuntimeException e) {
            LOG.errorf("Usage store unreachable at shutdown: %d rows of usage are lost (%s)", pending.size(), LogText.escaped(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
