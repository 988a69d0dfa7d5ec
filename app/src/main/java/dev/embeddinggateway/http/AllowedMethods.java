package dev.embeddinggateway.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The methods each URL of the JAX-RS resources takes, read from their annotations once: what a 405 names in its
 * {@code Allow} header, which RESTEasy Reactive leaves out.
 */
@ApplicationScoped
public class AllowedMethods {
    private static final Pattern PARAMETER = Pattern.compile("\\{\\s*\\w+\\s*(?::\\s*((?:[^{}]|\\{[^{}]*})+))?}");
    private final Map<Pattern, Set<String>> byPath = new LinkedHashMap<>();

    public AllowedMethods(BeanManager beans) {
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            Path root = bean.getBeanClass().getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method method : bean.getBeanClass().getMethods()) {
                Optional<String> verb = Arrays.stream(method.getAnnotations()).map(Annotation::annotationType)
                        .map(t -> t.getAnnotation(HttpMethod.class)).filter(v -> v != null).map(HttpMethod::value).findFirst();
                if (verb.isPresent()) {
                    Path sub = method.getAnnotation(Path.class);
                    String template = root.value() + (sub == null ? "" : "/" + sub.value());
                    byPath.computeIfAbsent(regex(template), p -> new TreeSet<>()).add(verb.get());
                }
            }
        }
    }

    /** {@code GET, HEAD, OPTIONS} for a path the resources serve; empty for any other. */
    public Optional<String> of(String path) {
        Set<String> methods = new TreeSet<>();
        byPath.forEach((pattern, verbs) -> {
            if (pattern.matcher(path).matches()) {
                methods.addAll(verbs);
            }
        });
        if (methods.isEmpty()) {
            return Optional.empty();
        }
        methods.addAll(Set.of("HEAD", "OPTIONS"));
        return Optional.of(String.join(", ", methods));
    }

    /** A JAX-RS path template as a pattern: {@code {name}} is one segment, {@code {name: regex}} its regex. */
    private static Pattern regex(String template) {
        String path = ("/" + template).replaceAll("/+", "/").replaceAll("(.)/$", "$1");
        StringBuilder out = new StringBuilder();
        var matcher = PARAMETER.matcher(path);
        int last = 0;
        while (matcher.find()) {
            out.append(Pattern.quote(path.substring(last, matcher.start())))
                    .append('(').append(matcher.group(1) == null ? "[^/]+" : matcher.group(1)).append(')');
            last = matcher.end();
        }
        return Pattern.compile(out.append(Pattern.quote(path.substring(last))).toString());
    }
}
