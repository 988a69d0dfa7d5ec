package dev.embeddinggateway.usage;

import dev.embeddinggateway.auth.Caller;
import dev.embeddinggateway.core.support.DaemonThreads;
import dev.embeddinggateway.http.LogText;
import dev.embeddinggateway.store.Database;
import dev.embeddinggateway.store.OncePerMinute;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Monthly budgets (UTC months) of API keys, one count for every replica ({@link BudgetStore}). A request is let
 * through only if what the key spent this month, plus what its requests in flight hold, plus this request's
 * estimated cost stays within the budget; the estimate is held until the request is answered, then replaced by
 * what it cost. Keys without a budget never touch the database here.
 */
@ApplicationScoped
public class Budgets {
    private static final Logger LOG = Logger.getLogger(Budgets.class);
    private final BudgetStore store;
    private final UsageLedger ledger;
    private final OncePerMinute warning = new OncePerMinute();
    private final ExecutorService settling = Executors.newFixedThreadPool(2, DaemonThreads.named("budget-settle"));

    public Budgets(Database database, UsageLedger ledger) {
        this.store = new BudgetStore(database);
        this.ledger = ledger;
    }

    /** The cost held for one request until it is answered: settled exactly once, on every path. */
    public final class Reservation {
        private final String holdId;
        private final String keyId;
        private final LocalDate month;

        private Reservation(String holdId, String keyId, LocalDate month) {
            this.holdId = holdId;
            this.keyId = keyId;
            this.month = month;
        }

        /** What the request cost, zero when it failed: it replaces the hold, off the caller's thread. */
        public void settle(BigDecimal cost) {
            if (holdId != null) {
                settling.execute(() -> settleQuietly(this, cost));
            }
        }
    }

    /**
     * @return a reservation, or empty when the key's budget would be exceeded
     * @throws SQLException when the database cannot decide (within seconds, even when it hangs)
     */
    public Optional<Reservation> reserve(Caller caller, BigDecimal estimatedCost) throws SQLException {
        if (caller.monthlyBudgetUsd().isEmpty()) {
            return Optional.of(new Reservation(null, null, null));
        }
        LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        // A team's shared account has no ledger rows of its own: its spend starts from the spend rows alone.
        return store.hold(caller.account(), month, estimatedCost, caller.monthlyBudgetUsd().get(),
                        () -> ledger.costSince(caller.account(), month.atStartOfDay().toInstant(ZoneOffset.UTC)))
                .map(id -> new Reservation(id, caller.account(), month));
    }

    private void settleQuietly(Reservation reservation, BigDecimal cost) {
        try {
            store.settle(reservation.holdId, reservation.keyId, reservation.month, cost);
        } catch (SQLException | RuntimeException e) {
            if (warning.due()) {
                LOG.warnf("Budget spend of key %s not written (%s): its hold lapses after %s, and this request's "
                        + "cost stays out of its budget", LogText.escaped(reservation.keyId), LogText.escaped(e.getMessage()),
                        BudgetStore.HOLD_LIFETIME);
            }
        }
    }

    /** Settles what is still queued before the database closes. */
    @PreDestroy
    void stop() throws InterruptedException {
        settling.shutdown();
        settling.awaitTermination(5, TimeUnit.SECONDS);
    }
}
