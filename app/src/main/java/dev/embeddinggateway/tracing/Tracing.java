package dev.embeddinggateway.tracing;

import dev.embeddinggateway.core.support.AsyncFailures;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The gateway's spans, as children of the request's (Quarkus makes one per HTTP request, from the incoming
 * {@code traceparent}). Their parent is passed along explicitly, since the work continues on other threads. Off
 * unless {@code quarkus.otel.sdk.disabled=false}: the spans are then no-ops. Never a text or a vector on a span.
 */
@ApplicationScoped
public class Tracing {
    /** OpenTelemetry's GenAI conventions. */
    public static final String OPERATION = "gen_ai.operation.name";
    public static final String REQUEST_MODEL = "gen_ai.request.model";
    public static final String RESPONSE_MODEL = "gen_ai.response.model";
    public static final String PROVIDER = "gen_ai.provider.name";
    public static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
    public static final String EMBEDDINGS = "embeddings";

    private final Tracer tracer;
    private final OpenTelemetry telemetry;

    public Tracing(OpenTelemetry telemetry) {
        this.telemetry = telemetry;
        this.tracer = telemetry.getTracer("embedding-gateway");
    }

    public Span start(String name, Context parent, SpanKind kind) {
        return tracer.spanBuilder(name).setParent(parent).setSpanKind(kind).startSpan();
    }

    /** A span around asynchronous work, ended when it completes; failed when it fails. */
    public <T> CompletionStage<T> around(String name, Context parent, Function<Span, CompletionStage<T>> work) {
        Span span = start(name, parent, SpanKind.INTERNAL);
        CompletionStage<T> done;
        try {
            done = work.apply(span);
        } catch (RuntimeException e) {
            ended(span, e);
            throw e;
        }
        return done.whenComplete((result, error) -> ended(span, error));
    }

    /** Ends a span, failed with the error's class (never its message, which may quote the input) when there is one. */
    public static void ended(Span span, Throwable error) {
        if (error != null) {
            String type = AsyncFailures.unwrap(error).getClass().getSimpleName();
            span.setStatus(StatusCode.ERROR, type);
            span.setAttribute("error.type", type);
        }
        span.end();
    }

    /**
     * Starts {@code work} with {@code span} current, so that an HTTP client instrumented by Quarkus (the REST client
     * of TEI, Ollama and the cloud vendors) makes its span a child of it and sends it upstream.
     */
    public <T> T within(Span span, Supplier<T> work) {
        try (Scope scope = span.makeCurrent()) {
            return work.get();
        }
    }

    /** W3C trace-context headers ({@code traceparent}, {@code tracestate}) naming {@code span}, for an upstream. */
    public Map<String, String> headers(Span span) {
        if (!span.getSpanContext().isValid()) {
            return Map.of(); // tracing off: nothing to pass on, nothing to build on every call
        }
        Map<String, String> headers = new HashMap<>();
        telemetry.getPropagators().getTextMapPropagator().inject(Context.root().with(span), headers,
                (carrier, key, value) -> carrier.put(key, value));
        return headers;
    }
}
