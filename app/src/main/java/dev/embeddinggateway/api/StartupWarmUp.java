package dev.embeddinggateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embeddinggateway.auth.WarmUpPass;
import dev.embeddinggateway.config.GatewayConfig;
import dev.embeddinggateway.routing.ProviderRouter;
import dev.embeddinggateway.routing.Route;
import dev.embeddinggateway.routing.Routes;
import io.quarkus.vertx.http.DomainSocketServerStart;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Before this replica reports ready it sends itself requests over HTTP, on a model computed in this process: a
 * freshly started JVM runs its request path in the interpreter, and measured, its first few hundred cached answers
 * took about 5 ms each instead of under 1 ms. Afterwards the path is compiled. Never an upstream's model, so the
 * start never needs one and costs nothing; the requests carry {@link WarmUpPass} and are not recorded.
 */
@ApplicationScoped
public class StartupWarmUp {
    private static final Logger LOG = Logger.getLogger(StartupWarmUp.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration AT_MOST = Duration.ofSeconds(30);
    private static final List<String> TEXTS = List.of("How do I reset my password?",
            "Embeddings turn text into vectors so that similar meanings land close together.",
            "治疗感冒的药", "如何更换汽车轮胎",
            "A central gateway adds caching, rate limits, keys, budgets and cost tracking per provider, so that "
                    + "switching a team's provider is a change of configuration rather than of code.");
    private final GatewayConfig config;
    private final ProviderRouter router;
    private final WarmUpPass pass;
    private final Vertx vertx;
    private volatile boolean finished;

    public StartupWarmUp(GatewayConfig config, ProviderRouter router, WarmUpPass pass, Vertx vertx) {
        this.config = config;
        this.router = router;
        this.pass = pass;
        this.vertx = vertx;
    }

    public boolean finished() {
        return finished;
    }

    void onListening(@ObservesAsync HttpServerStart started) {
        int requests = config.warmUp().requests();
        Optional<Route> local = localRoute(router.routes());
        if (requests <= 0 || local.isEmpty()) {
            LOG.infof("no warm-up: %s", requests <= 0 ? "gateway.warm-up.requests=0" : "no model is computed in this process");
            finished = true;
            return;
        }
        String host = started.options().getHost();
        run(host == null || host.equals("0.0.0.0") || host.contains(":") ? "127.0.0.1" : host, started.options().getPort(),
                local.get().name(), requests);
    }

    /** Without a plain-HTTP listener (TLS only, a domain socket only) there is nothing to warm through: ready at once. */
    void onTlsListening(@ObservesAsync HttpsServerStart started) {
        finishUnlessPlainHttp();
    }

    void onSocketListening(@ObservesAsync DomainSocketServerStart started) {
        finishUnlessPlainHttp();
    }

    private void finishUnlessPlainHttp() {
        Config quarkus = ConfigProvider.getConfig();
        boolean plainHttp = quarkus.getOptionalValue("quarkus.http.host-enabled", Boolean.class).orElse(true)
                && !"disabled".equals(quarkus.getOptionalValue("quarkus.http.insecure-requests", String.class).orElse("enabled"));
        if (!plainHttp) {
            LOG.info("no warm-up: no plain-HTTP listener to send it to");
            finished = true;
        }
    }

    /** The default model when it is computed here, else the first such model. */
    private static Optional<Route> localRoute(Routes routes) {
        return routes.all().stream().filter(r -> !r.info().space().isRemote())
                .min(Comparator.comparing((Route r) -> !r.name().equals(routes.defaultName())).thenComparing(Route::name));
    }

    private void run(String host, int port, String model, int requests) {
        long start = System.nanoTime();
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port));
        List<String> computed = new ArrayList<>(TEXTS.stream().map(t -> body(model, List.of(t))).toList());
        computed.add(body(model, TEXTS));
        // Each text computed once (no cache), then the cached path: what most requests of a warm cache take.
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < requests; i++) {
            String body = i < computed.size() ? computed.get(i) : computed.get(i % TEXTS.size());
            boolean noStore = i < computed.size();
            chain = chain.compose(ok -> send(http, body, noStore));
        }
        chain.timeout(AT_MOST.toMillis(), TimeUnit.MILLISECONDS)
                .onSuccess(ok -> LOG.infof("warmed up on model %s with %d requests in %d ms", model, requests,
                        (System.nanoTime() - start) / 1_000_000))
                .onFailure(e -> LOG.warnf("warm-up stopped early (%s); serving anyway", e.getMessage()))
                .onComplete(done -> {
                    finished = true;
                    http.close();
                });
    }

    private Future<Void> send(HttpClient http, String body, boolean noStore) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/embeddings")
                .putHeader("content-type", "application/json").putHeader(WarmUpPass.HEADER, pass.secret());
        if (noStore) {
            request.putHeader("cache-control", "no-store");
        }
        return http.request(request).compose(r -> r.send(body)).compose(response -> response.statusCode() == 200
                ? response.body().<Void>mapEmpty()
                : Future.failedFuture("a warm-up request was answered HTTP " + response.statusCode()));
    }

    private static String body(String model, List<String> texts) {
        try {
            return JSON.writeValueAsString(Map.of("model", model, "input", texts));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
