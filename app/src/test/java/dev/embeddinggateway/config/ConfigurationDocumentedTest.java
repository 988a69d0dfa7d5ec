package dev.embeddinggateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import io.smallrye.config.WithUnnamedKey;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * The configuration page's table ({@code | key | default | meaning |}) has one row for every key of the
 * {@code gateway.*} mapping, with its {@code @WithDefault} in the default column, and no row for a key that does not
 * exist. A new key, a renamed one or a changed default is documented or this fails, naming the key.
 * <p>
 * The keys are found the way SmallRye Config maps them: from {@link GatewayConfig} along accessor return types
 * (never by where an interface is declared), with the mapping's naming strategy, {@code @WithName},
 * {@code @WithParentName} and {@code @WithUnnamedKey}. A map's key is one segment, which the page writes as a
 * placeholder in angle brackets, quoted or not: {@code gateway.providers.<name>.type},
 * {@code gateway.models."<model>".routing}.
 */
class ConfigurationDocumentedTest {
    private static final Path PAGE = Path.of("../docs/configuration.md");
    private static final String TABLE_HEADER = "| key | default | meaning |";
    /** Where a map's key goes in a configuration key. */
    private static final String MAP_KEY = "<name>";
    /** Where a list's index goes, after the list's own segment. */
    private static final String INDEX = "[<index>]";
    private static final Pattern DOCUMENTED_KEY = Pattern.compile("`([^`]+)`");
    private static final Pattern CELL_SEPARATOR = Pattern.compile("(?<!\\\\)\\|");

    /** A key of the mapping: its segments (a map's key as {@link #MAP_KEY}) and its default, if any. */
    record Key(List<String> segments, Optional<String> defaultValue) {
        String name() {
            return String.join(".", segments).replace("." + INDEX, INDEX);
        }

        /** How the page may write it: each map key as {@code <placeholder>} or {@code "<placeholder>"}. */
        Pattern documented() {
            String placeholder = "(?:<[^<>`\"]+>|\"<[^<>`\"]+>\")";
            String regex = segments.stream()
                    .map(s -> s.equals(MAP_KEY) ? placeholder : s.equals(INDEX) ? "\\[<[^<>`]+>\\]" : Pattern.quote(s))
                    .collect(Collectors.joining("\\.")).replace("\\.\\[", "\\[");
            return Pattern.compile(regex);
        }
    }

    @Test
    void theWalkFindsTheMappingsKeys() {
        List<Key> keys = keys(GatewayConfig.class);
        assertThat(keys).extracting(Key::name).contains("gateway.max-body-size", "gateway.providers.<name>.type",
                "gateway.providers.<name>.<name>", "gateway.models.<name>.routing", "gateway.cache.ttl",
                "gateway.oidc.teams.<name>.budget.monthly-usd");
        assertThat(keys).filteredOn(k -> k.name().equals("gateway.max-body-size")).singleElement()
                .extracting(Key::defaultValue).isEqualTo(Optional.of("16M"));
    }

    @Test
    void everyKeyAndItsDefaultIsOnTheConfigurationPage() throws IOException {
        Map<String, String> documented = documentedKeys(Files.readAllLines(PAGE));
        List<String> missing = new ArrayList<>();
        List<String> wrongDefault = new ArrayList<>();
        for (Key key : keys(GatewayConfig.class)) {
            Optional<Map.Entry<String, String>> row = documented.entrySet().stream()
                    .filter(e -> key.documented().matcher(e.getKey()).matches()).findFirst();
            if (row.isEmpty()) {
                missing.add(key.name());
            } else if (key.defaultValue().isPresent() && !row.get().getValue().contains("`" + key.defaultValue().get() + "`")) {
                wrongDefault.add(key.name() + " (default `" + key.defaultValue().get() + "`, documented: "
                        + row.get().getValue() + ")");
            }
        }
        assertSoftly(softly -> {
            softly.assertThat(missing).as("keys of GatewayConfig without a row in " + PAGE + "'s table " + TABLE_HEADER)
                    .isEmpty();
            softly.assertThat(wrongDefault)
                    .as("keys whose default " + PAGE + " does not give, in backticks, in the default column").isEmpty();
        });
    }

    @Test
    void everyDocumentedKeyExists() throws IOException {
        List<Key> keys = keys(GatewayConfig.class);
        List<String> unknown = documentedKeys(Files.readAllLines(PAGE)).keySet().stream()
                .filter(documented -> keys.stream().noneMatch(k -> k.documented().matcher(documented).matches()))
                .toList();
        assertThat(unknown).as("rows of " + PAGE + " naming no key of GatewayConfig").isEmpty();
    }

    /** Every leaf key of a {@code @ConfigMapping} interface, as SmallRye Config names it. */
    static List<Key> keys(Class<?> mapping) {
        ConfigMapping annotation = mapping.getAnnotation(ConfigMapping.class);
        assertThat(annotation).as(mapping + " is a @ConfigMapping").isNotNull();
        List<Key> keys = new ArrayList<>();
        group(annotation, mapping, Arrays.asList(annotation.prefix().split("\\.")), keys, List.of());
        return keys;
    }

    private static void group(ConfigMapping mapping, Class<?> group, List<String> path, List<Key> keys,
            List<Class<?>> enclosing) {
        assertThat(enclosing).as("configuration groups nest without a cycle").doesNotContain(group);
        List<Class<?>> within = append(enclosing, group);
        Arrays.stream(group.getMethods())
                .filter(m -> !m.isDefault() && !Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0
                        && m.getReturnType() != void.class)
                .sorted(Comparator.comparing(Method::getName))
                .forEach(accessor -> {
                    List<String> at = accessor.isAnnotationPresent(WithParentName.class) ? path
                            : append(path, name(mapping, accessor));
                    Optional<String> defaultValue = Optional.ofNullable(accessor.getAnnotation(WithDefault.class))
                            .map(WithDefault::value);
                    value(mapping, accessor, accessor.getGenericReturnType(), at, defaultValue, keys, within);
                });
    }

    private static void value(ConfigMapping mapping, Method accessor, Type type, List<String> path,
            Optional<String> defaultValue, List<Key> keys, List<Class<?>> enclosing) {
        Class<?> raw = raw(type);
        if (raw == Optional.class) {
            value(mapping, accessor, argument(type, 0), path, defaultValue, keys, enclosing);
        } else if (Map.class.isAssignableFrom(raw)) {
            value(mapping, accessor, argument(type, 1), append(path, MAP_KEY), defaultValue, keys, enclosing);
            if (accessor.isAnnotationPresent(WithUnnamedKey.class)) {
                value(mapping, accessor, argument(type, 1), path, defaultValue, keys, enclosing);
            }
        } else if (Collection.class.isAssignableFrom(raw) && isGroup(raw(argument(type, 0)))) {
            group(mapping, raw(argument(type, 0)), append(path, INDEX), keys, enclosing);
        } else if (isGroup(raw)) {
            group(mapping, raw, path, keys, enclosing);
        } else {
            keys.add(new Key(path, defaultValue));
        }
    }

    /** A nested configuration group: an interface of the application, not a value type. */
    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && !type.getName().startsWith("java.");
    }

    private static String name(ConfigMapping mapping, Method accessor) {
        WithName explicit = accessor.getAnnotation(WithName.class);
        if (explicit != null) {
            return explicit.value();
        }
        String name = accessor.getName();
        Matcher getter = Pattern.compile("(?:get|is)([A-Z].*)").matcher(name);
        if (mapping.beanStyleGetters() && getter.matches()) {
            name = Character.toLowerCase(getter.group(1).charAt(0)) + getter.group(1).substring(1);
        }
        return mapping.namingStrategy().apply(name);
    }

    private static Class<?> raw(Type type) {
        return (Class<?>) (type instanceof ParameterizedType p ? p.getRawType() : type);
    }

    private static Type argument(Type type, int index) {
        assertThat(type).as("a generic type with its arguments").isInstanceOf(ParameterizedType.class);
        return ((ParameterizedType) type).getActualTypeArguments()[index];
    }

    private static <T> List<T> append(List<T> list, T element) {
        List<T> longer = new ArrayList<>(list);
        longer.add(element);
        return List.copyOf(longer);
    }

    /** The {@code gateway.*} rows of every {@code | key | default | meaning |} table: the key, and the default cell. */
    static Map<String, String> documentedKeys(List<String> lines) {
        Map<String, String> rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : lines) {
            if (line.trim().equals(TABLE_HEADER)) {
                inTable = true;
            } else if (inTable && line.startsWith("| ---")) {
                continue;
            } else if (inTable && line.startsWith("|")) {
                String[] cells = Arrays.stream(CELL_SEPARATOR.split(line.substring(1, line.length() - 1), -1))
                        .map(String::trim).toArray(String[]::new);
                Matcher key = DOCUMENTED_KEY.matcher(cells[0]);
                assertThat(cells).as("a row of three cells: " + line).hasSize(3);
                assertThat(key.matches()).as("one key, in backticks, in the first cell of: " + line).isTrue();
                if (key.group(1).startsWith("gateway.")) {
                    assertThat(rows).as("one row per key").doesNotContainKey(key.group(1));
                    rows.put(key.group(1), cells[1]);
                }
            } else {
                inTable = false;
            }
        }
        assertThat(rows).as(PAGE + " has a table " + TABLE_HEADER).isNotEmpty();
        return rows;
    }
}
