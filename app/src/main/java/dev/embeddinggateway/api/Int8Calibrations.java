package dev.embeddinggateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embeddinggateway.config.GatewayConfig;
import dev.embeddinggateway.core.EmbeddingSpace;
import dev.embeddinggateway.http.ApiException;
import dev.embeddinggateway.routing.Route;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each model's fixed scale for the {@code int8} and {@code uint8} encodings, so that a text's codes never depend on
 * what else is in its request: configured for the model ({@code gateway.models."<m>".int8-max-abs}), else shipped
 * for a bundled model (measured on the calibration corpus in {@code src/bench/corpora}). A model with neither is
 * refused those two encodings (400).
 */
@Startup
@ApplicationScoped
public class Int8Calibrations {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param maxAbs the largest absolute value of any dimension in calibration: it maps to code 127 */
    record Scale(float maxAbs) {
    }

    private final Map<String, Scale> configured = new ConcurrentHashMap<>();
    private final Map<EmbeddingSpace, Optional<Scale>> bundled = new ConcurrentHashMap<>();

    public Int8Calibrations(GatewayConfig config) {
        config.models().forEach((name, model) -> model.int8MaxAbs().ifPresent(maxAbs -> {
            if (!(maxAbs > 0) || !Float.isFinite(maxAbs)) {
                throw new IllegalArgumentException("gateway.models.\"" + name + "\".int8-max-abs must be a number above 0, not "
                        + maxAbs);
            }
            configured.put(name, new Scale(maxAbs));
        }));
    }

    /** @throws ApiException 400 naming {@code encoding_format} when {@code route}'s model has no scale */
    Scale of(Route route) {
        return Optional.ofNullable(configured.get(route.name())).or(() -> shipped(route.info().space()))
                .orElseThrow(() -> ApiException.invalid("Model " + route.name() + " has no int8 calibration: use "
                        + "encoding_format float, base64, binary or ubinary, or ask the operator to set "
                        + "gateway.models.\"" + route.name() + "\".int8-max-abs.", "encoding_format"));
    }

    /** A bundled model's file, for the local model it was computed with (never for an upstream's of that name). */
    private Optional<Scale> shipped(EmbeddingSpace space) {
        if (space.isRemote()) {
            return Optional.empty();
        }
        return bundled.computeIfAbsent(space, s -> {
            try (InputStream in = Int8Calibrations.class.getClassLoader()
                    .getResourceAsStream("int8-scales/" + s.model() + ".json")) {
                return in == null ? Optional.empty() : Optional.of(read(in));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the bundled int8 scale of " + s.model(), e);
            }
        });
    }

    /** @throws IllegalArgumentException unless {@code max_abs} is a finite number above zero */
    static Scale read(InputStream in) throws IOException {
        JsonNode root = JSON.readTree(in);
        JsonNode maxAbs = root == null ? null : root.get("max_abs");
        if (maxAbs == null || !maxAbs.isNumber() || !(maxAbs.floatValue() > 0) || !Float.isFinite(maxAbs.floatValue())) {
            throw new IllegalArgumentException("'max_abs' must be a finite number above 0");
        }
        return new Scale(maxAbs.floatValue());
    }
}
