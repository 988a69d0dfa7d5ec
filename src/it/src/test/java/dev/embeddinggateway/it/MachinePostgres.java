package dev.embeddinggateway.it;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Databases of a test's own on this machine's PostgreSQL (127.0.0.1:5432, trust auth), created and dropped. */
final class MachinePostgres {
    private MachinePostgres() {
    }

    /** A new empty database named {@code prefix} and a random suffix. */
    static String create(String prefix) throws Exception {
        String database = prefix + UUID.randomUUID().toString().substring(0, 8);
        run("createdb", database);
        return database;
    }

    static void drop(String database) throws Exception {
        run("dropdb", database);
    }

    static String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:5432/" + database;
    }

    private static void run(String command, String database) throws Exception {
        Process process = new ProcessBuilder(command, "-h", "127.0.0.1", "-U", "postgres", database).inheritIO().start();
        assertThat(process.waitFor()).as(command + " " + database).isZero();
    }
}
