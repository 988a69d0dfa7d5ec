package dev.embeddinggateway.store;

import dev.embeddinggateway.config.GatewayConfig;
import dev.embeddinggateway.config.StoreConfig;
import dev.embeddinggateway.core.support.DaemonThreads;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ExceptionSorter;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * The gateway's database (usage ledger, stored API keys): PostgreSQL when {@code gateway.store.jdbc-url}
 * names one, else an embedded H2 file under ./data — chosen at start, one schema (Flyway) and standard SQL
 * for both. Plain Agroal, since Quarkus fixes a datasource's kind at build time.
 */
@ApplicationScoped
public class Database {
    static final String EMBEDDED_URL = "jdbc:h2:file:./data/gateway;DB_CLOSE_ON_EXIT=FALSE";
    private static final Duration ACQUISITION_TIMEOUT = Duration.ofSeconds(3);
    /** The longest one statement may wait on the network: a hung database fails it instead of stalling it. */
    private static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(10);
    private static final Executor TIMEOUTS = Executors.newCachedThreadPool(DaemonThreads.named("database-timeouts"));
    /**
     * After a failure of the database itself (down, hung, refusing), how long requests are answered at once instead
     * of each waiting seconds on it; then one tries it again, and its success closes the breaker.
     */
    static final Duration FAIL_FAST_FOR = Duration.ofSeconds(2);
    /** SQL state classes of a statement's own error (data, constraint, conflict, syntax): no outage of the store. */
    private static final Set<String> STATEMENT_ERRORS = Set.of("0A", "22", "23", "40", "42");

    private final AgroalDataSource dataSource;
    private final String description;
    private final CircuitBreaker breaker = new CircuitBreaker(1, FAIL_FAST_FOR, Clock.systemUTC());

    public Database(GatewayConfig config) throws SQLException {
        StoreConfig store = config.store();
        String url = store.jdbcUrl().orElse(EMBEDDED_URL);
        dataSource = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                // A database that is down or hung answers within seconds, never holds a request longer.
                .connectionPoolConfiguration(pool -> pool.maxSize(4).acquisitionTimeout(ACQUISITION_TIMEOUT)
                        // A restarted PostgreSQL leaves dead connections behind: test them before use.
                        .validateOnBorrow(true).connectionValidator(ConnectionValidator.defaultValidatorWithTimeout(2))
                        .exceptionSorter(ExceptionSorter.fatalExceptionSorter())
                        .connectionFactoryConfiguration(factory -> {
                            factory.jdbcUrl(url);
                            // The driver by name, not through DriverManager, which refuses a driver that another
                            // class loader registered (a restarted application).
                            driverFor(url).ifPresent(factory::connectionProviderClassName);
                            store.username().ifPresent(u -> factory.principal(new NamePrincipal(u)));
                            store.password().ifPresent(p -> factory.credential(new SimplePassword(p)));
                            return factory;
                        })));
        Flyway.configure().dataSource(dataSource).resourceProvider(new Migrations()).load().migrate();
        // The URL without its parameters: they may carry a password.
        description = store.jdbcUrl().map(u -> "PostgreSQL " + u.replaceFirst("\\?.*", ""))
                .orElse("embedded H2 file ./data/gateway.mv.db");
    }

    private static Optional<String> driverFor(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return Optional.of("org.postgresql.Driver");
        }
        return url.startsWith("jdbc:h2:") ? Optional.of("org.h2.Driver") : Optional.empty();
    }

    /**
     * A connection whose statements fail after {@link #NETWORK_TIMEOUT} without an answer (PostgreSQL); none, at
     * once, for {@link #FAIL_FAST_FOR} after the database failed.
     */
    public Connection connection() throws SQLException {
        if (!breaker.tryRequest()) {
            throw new FailingFast();
        }
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            failed(e);
            throw e;
        }
        breaker.succeeded();
        try {
            connection.setNetworkTimeout(TIMEOUTS, (int) NETWORK_TIMEOUT.toMillis());
        } catch (SQLFeatureNotSupportedException embedded) {
            // H2 in this process: no network to wait on.
        }
        return connection;
    }

    /** Work on one connection, in one transaction; {@code E} is what else it may throw (IOException, say). */
    public interface Work<T, E extends Exception> {
        T run(Connection connection) throws SQLException, E;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. Work that must
     * undo what it wrote on some result (a lease found lost) rolls back itself before it returns.
     */
    public <T, E extends Exception> T transaction(Work<T, E> work) throws SQLException, E {
        try (Connection connection = connection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            failed(e);
            throw e;
        }
    }

    /** One statement on a connection of its own, its parameters bound in order: the rows it changed. */
    public int update(String sql, Object... values) throws SQLException {
        try (Connection connection = connection(); PreparedStatement update = connection.prepareStatement(sql)) {
            SqlRows.bind(update, values);
            return update.executeUpdate();
        } catch (SQLException e) {
            failed(e);
            throw e;
        }
    }

    /** What a connection is refused with while the breaker is open: no new failure of the database. */
    private static final class FailingFast extends SQLTransientConnectionException {
        FailingFast() {
            super("The database failed moments ago; it is tried again within " + FAIL_FAST_FOR.toSeconds() + " s", "08001");
        }
    }

    /** Opens the breaker when the database itself failed, not when a statement was refused for what it asked. */
    private void failed(SQLException e) {
        String state = e.getSQLState();
        if (!(e instanceof FailingFast)
                && (state == null || state.length() < 2 || !STATEMENT_ERRORS.contains(state.substring(0, 2)))) {
            breaker.failed();
        }
    }

    /** Time as the gateway's tables keep it: UTC, whatever the replica's zone. */
    public static Timestamp utc(Instant instant) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    /** For logs: what and where, never a password. */
    public String description() {
        return description;
    }

    @PreDestroy
    void close() {
        dataSource.close();
    }
}
