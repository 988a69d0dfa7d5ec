package dev.embeddinggateway.usage;

import dev.embeddinggateway.auth.Caller;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Monthly budgets (UTC months) of API keys. A request is let through only if what the key spent this month
 * (the ledger's figures), plus what its requests in flight may still cost, plus this request's estimated
 * cost stays within the budget; the estimate is held until the request is answered. So concurrent requests
 * cannot together overshoot, and a request costs at most its estimate unless the provider counts more tokens.
 */
@ApplicationScoped
public class Budgets {
    private final UsageLedger ledger;
    private final Map<String, BigDecimal> inFlight = new HashMap<>();

    public Budgets(UsageLedger ledger) {
        this.ledger = ledger;
    }

    /** The cost held for one request until it is answered: released exactly once, on every path. */
    public final class Reservation {
        private final String keyId;
        private final BigDecimal amount;

        private Reservation(String keyId, BigDecimal amount) {
            this.keyId = keyId;
            this.amount = amount;
        }

        /** Once the ledger has the request's real cost, or the request failed. */
        public void release() {
            if (keyId != null) {
                synchronized (Budgets.this) {
                    inFlight.computeIfPresent(keyId, (k, held) -> held.compareTo(amount) == 0 ? null : held.subtract(amount));
                }
            }
        }
    }

    /**
     * @return a reservation, or empty when the key's budget would be exceeded
     * @throws SQLException when the ledger cannot be read
     */
    public synchronized Optional<Reservation> reserve(Caller caller, BigDecimal estimatedCost) throws SQLException {
        if (caller.monthlyBudgetUsd().isEmpty()) {
            return Optional.of(new Reservation(null, BigDecimal.ZERO));
        }
        BigDecimal spent = ledger.costSince(caller.keyId(),
                LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay().toInstant(ZoneOffset.UTC));
        BigDecimal held = inFlight.getOrDefault(caller.keyId(), BigDecimal.ZERO);
        if (spent.add(held).add(estimatedCost).compareTo(caller.monthlyBudgetUsd().get()) > 0) {
            return Optional.empty();
        }
        inFlight.merge(caller.keyId(), estimatedCost, BigDecimal::add);
        return Optional.of(new Reservation(caller.keyId(), estimatedCost));
    }
}
