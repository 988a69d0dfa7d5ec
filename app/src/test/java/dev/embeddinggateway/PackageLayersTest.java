package dev.embeddinggateway;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app's packages are layers, each using only those below it, so none depends on another in a loop: the
 * request path reads top-down (api → pipeline → usage, cache, routing, auth, limits → store, http, config).
 * Checked on the compiled classes, so a fully qualified name counts as much as an import.
 */
class PackageLayersTest {
    /** Bottom to top. A new package takes its place here deliberately. */
    static final List<String> LAYERS = List.of("config", "http", "tracing", "store", "audit", "limits", "auth", "routing", "cache", "usage",
            "pipeline", "api", "batch");
    private static final String APP = "dev.embeddinggateway.";

    private static String layerOf(JavaClass type) {
        String name = type.getPackageName();
        return name.startsWith(APP) ? name.substring(APP.length()).split("\\.")[0] : "";
    }

    @Test
    void noPackageUsesOneAboveIt() {
        Set<String> upward = new TreeSet<>();
        Set<String> unplaced = new TreeSet<>();
        Set<String> seen = new TreeSet<>();
        for (JavaClass type : new ClassFileImporter().importPath(Path.of("target/classes"))) {
            String from = layerOf(type);
            seen.add(from);
            if (!LAYERS.contains(from)) {
                unplaced.add(type.getPackageName());
                continue;
            }
            for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                int to = LAYERS.indexOf(layerOf(dependency.getTargetClass()));
                if (to > LAYERS.indexOf(from)) {
                    upward.add(dependency.getDescription());
                }
            }
        }
        assertThat(seen).as("layers with classes").containsAll(LAYERS);
        assertThat(unplaced).as("app packages missing from LAYERS").isEmpty();
        assertThat(upward).as("dependencies on a higher layer").isEmpty();
    }
}
