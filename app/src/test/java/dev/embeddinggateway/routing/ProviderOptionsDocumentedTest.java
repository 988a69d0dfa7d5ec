package dev.embeddinggateway.routing;

import dev.embeddinggateway.core.ProviderFactory;
import dev.embeddinggateway.core.ProviderOption;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The providers page ({@code docs/providers.md}) has an option table for each provider type that says exactly what
 * its factory declares: every option, in order, with its meaning and default. A new option, or a changed default,
 * is documented or this fails. A type's table is the first one headed {@code | option | meaning | default |} under a
 * heading that reads "Provider type `x`" (or "Provider types `x`, `y`").
 */
class ProviderOptionsDocumentedTest {
    private static final Path PAGE = Path.of("../docs/providers.md");
    private static final Pattern HEADING = Pattern.compile("^#+ Provider types? (.*)");
    private static final Pattern TYPE = Pattern.compile("`([a-z0-9-]+)`");

    /** One row of an option table, as the page writes it. */
    record Row(String option, String meaning, String defaultValue) {
        static Row declared(ProviderOption<?> option) {
            return new Row("`" + option.name() + "`", option.description(),
                    option.isRequired() ? "required" : option.defaultValue().map(d -> "`" + d + "`").orElse(""));
        }
    }

    @Test
    void everyProviderTypesTableMatchesItsDeclaredOptions() throws IOException {
        Map<String, List<Row>> documented = tables(Files.readAllLines(PAGE));
        Map<String, ProviderFactory> shipped = new TreeMap<>(new ProviderPlugins().factories());
        shipped.remove("char-histogram"); // a type of the test sources only
        assertThat(documented.keySet()).as("provider types with an option table in " + PAGE)
                .containsExactlyInAnyOrderElementsOf(shipped.keySet());
        shipped.forEach((type, factory) -> assertThat(documented.get(type)).as(PAGE + "'s options of type " + type)
                .containsExactlyElementsOf(factory.options().stream().map(Row::declared).toList()));
    }

    /** For each "Provider type(s) `x`" heading, the rows of the first option table under it, for each type it names. */
    private static Map<String, List<Row>> tables(List<String> lines) {
        Map<String, List<Row>> tables = new LinkedHashMap<>();
        List<String> types = List.of();
        boolean inTable = false;
        for (String line : lines) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                types = new ArrayList<>();
                for (Matcher type = TYPE.matcher(heading.group(1)); type.find(); ) {
                    types.add(type.group(1));
                }
            } else if (line.startsWith("| option |") && !types.isEmpty()) {
                inTable = true;
                types.forEach(t -> tables.put(t, new ArrayList<>()));
            } else if (inTable && line.startsWith("| ---")) {
                continue;
            } else if (inTable && line.startsWith("|")) {
                String[] cells = Arrays.stream(line.substring(1, line.length() - 1).split("\\|", -1)).map(String::trim)
                        .toArray(String[]::new);
                Row row = new Row(cells[0], cells[1], cells[2]);
                types.forEach(t -> tables.get(t).add(row));
            } else if (inTable) {
                inTable = false;
                types = List.of();
            }
        }
        return tables;
    }
}
