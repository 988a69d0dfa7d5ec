package dev.embeddinggateway.it;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What {@code docker/} tells a container platform: the gateway's environment and the health paths it probes. */
final class DeploymentFiles {
    private static final Path DOCKER = Path.of(System.getProperty("docker.dir", "../../docker"));
    /** Compose's {@code ${VAR:-default}}. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+):-([^}]*)}");
    private static final Pattern HEALTHCHECK_PATH = Pattern.compile("http://127\\.0\\.0\\.1:8080(/q/health/\\w+)");

    private DeploymentFiles() {
    }

    /** The compose file's gateway environment, its variables taken from {@code variables} or their defaults. */
    static Map<String, String> composeGatewayEnvironment(Map<String, String> variables) throws IOException {
        Map<String, Object> gateway = child(child(yaml(DOCKER.resolve("compose.yaml")), "services"), "gateway");
        Map<String, String> environment = new LinkedHashMap<>();
        child(gateway, "environment").forEach((name, value) -> {
            Matcher variable = VARIABLE.matcher(String.valueOf(value));
            environment.put(name, variable.replaceAll(m -> Matcher.quoteReplacement(variables.getOrDefault(m.group(1), m.group(2)))));
        });
        return environment;
    }

    /** The names the Kubernetes ConfigMap and Secret set. */
    static List<String> kubernetesEnvironmentNames() throws IOException {
        List<String> names = new ArrayList<>(child(yaml(DOCKER.resolve("k8s/configmap.yaml")), "data").keySet());
        names.addAll(child(yaml(DOCKER.resolve("k8s/secret.yaml")), "stringData").keySet());
        return names;
    }

    /** Every HTTP path a platform probes: the Deployment's three probes and the images' health checks. */
    static List<String> probedPaths() throws IOException {
        List<String> paths = new ArrayList<>();
        Map<String, Object> deployment = yaml(DOCKER.resolve("k8s/deployment.yaml"));
        Map<String, Object> container = asMap(((List<?>) child(child(child(deployment, "spec"), "template"), "spec")
                .get("containers")).get(0));
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            paths.add((String) child(child(container, probe), "httpGet").get("path"));
        }
        for (String image : List.of("Dockerfile.jvm", "Dockerfile.native")) {
            Matcher path = HEALTHCHECK_PATH.matcher(Files.readString(DOCKER.resolve(image)));
            paths.addAll(path.results().map(m -> m.group(1)).collect(Collectors.toList()));
        }
        return paths;
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml().load(reader);
        }
    }

    private static Map<String, Object> child(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value == null) {
            throw new IllegalStateException("no '" + key + "' in " + parent.keySet());
        }
        return asMap(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }
}
