package dev.embeddinggateway.config;

import io.smallrye.config.WithDefault;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A model clients name ({@code gateway.models."<model>".*}), served by one or more provider instances. */
public interface ModelConfig {
    /** Provider instances serving this model, in order of preference. */
    List<String> providers();

    /** The model's name at the provider; default: this model's own name. */
    Optional<String> upstreamModel();

    /** {@code truncate}, {@code error} or {@code chunk}; default: the provider's (truncate for local, error for OpenAI models). */
    Optional<String> longInput();

    /** The vector size of an upstream model the provider has no metadata for; else learned with one probe at start. */
    Optional<Integer> dimensions();

    /** The most tokens one input may carry, for an upstream model the provider has no metadata for. */
    Optional<Integer> maxInputTokens();

    /** Whether this model's vectors are cached (when the cache is enabled). */
    @WithDefault("true")
    boolean cache();

    /** USD per million input tokens; default: the provider's list price (OpenAI's models), else 0. */
    Optional<BigDecimal> pricePerMillionTokens();

    /**
     * Text put before each input of a request with that {@code input_type} ({@code query}, {@code document},
     * {@code classification}, {@code clustering}), instead of the model's own prompt.
     */
    Map<String, String> prompts();

    /**
     * {@code fallback} (the first provider that answers, in order), {@code round-robin}, {@code weighted}
     * ({@link #weights()}), {@code least-busy} (fewest calls in flight) or {@code latency} (lowest recent latency).
     */
    @WithDefault("fallback")
    Routing routing();

    /** With {@code routing=weighted}: each provider's share, by name (default 1). */
    Map<String, Integer> weights();

    /** The {@code input_type} of a request that names none; default: the model's own, else none. */
    Optional<String> defaultInputType();

    /**
     * The scale of the {@code int8} and {@code uint8} encodings: the largest absolute value of any dimension over a
     * calibration corpus (the benchmark's {@code RetrievalFigures calibrate} measures it); bundled models ship theirs.
     */
    Optional<Float> int8MaxAbs();
}
