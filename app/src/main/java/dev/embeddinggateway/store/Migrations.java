package dev.embeddinggateway.store;

import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The database's migrations, by name. Flyway otherwise lists the classpath folder, which a native image
 * cannot do; a new migration is added to {@link #SCRIPTS} (a test compares the list with the folder).
 */
final class Migrations implements ResourceProvider {
    static final String FOLDER = "db/migration/";
    static final List<String> SCRIPTS = List.of("V1__usage.sql", "V2__api_keys.sql", "V3__budgets.sql",
            "V4__estimated_tokens.sql", "V5__batch_files.sql", "V6__batches.sql", "V7__audit.sql", "V8__bounded_values.sql",
            "V9__file_owner.sql", "V10__batch_owner.sql");

    @Override
    public LoadableResource getResource(String name) {
        String file = name.substring(name.lastIndexOf('/') + 1);
        return SCRIPTS.contains(file) ? new Script(file) : null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        return SCRIPTS.stream()
                .filter(file -> file.startsWith(prefix) && Arrays.stream(suffixes).anyMatch(file::endsWith))
                .<LoadableResource>map(Script::new).toList();
    }

    private static final class Script extends LoadableResource {
        private final String file;

        Script(String file) {
            this.file = file;
        }

        @Override
        public Reader read() {
            InputStream in = Migrations.class.getClassLoader().getResourceAsStream(FOLDER + file);
            return new InputStreamReader(Objects.requireNonNull(in, FOLDER + file), StandardCharsets.UTF_8);
        }

        @Override
        public String getAbsolutePath() {
            return FOLDER + file;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return null;
        }

        @Override
        public String getFilename() {
            return file;
        }

        @Override
        public String getRelativePath() {
            return file;
        }
    }
}
