package dev.embeddinggateway.store;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A migration added to the folder but not to the list would never run: the two must agree. */
class MigrationsTest {
    @Test
    void everyScriptInTheFolderIsListed() throws IOException, URISyntaxException {
        Path folder = Path.of(Migrations.class.getClassLoader().getResource(Migrations.FOLDER).toURI());
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList())
                    .containsExactlyInAnyOrderElementsOf(Migrations.SCRIPTS);
        }
    }

    @Test
    void flywayIsGivenThemInOrderByPrefix() {
        assertThat(new Migrations().getResources("V", new String[]{".sql"}))
                .extracting(r -> r.getFilename()).containsExactlyElementsOf(Migrations.SCRIPTS);
        assertThat(new Migrations().getResources("R", new String[]{".sql"})).isEmpty();
    }
}
