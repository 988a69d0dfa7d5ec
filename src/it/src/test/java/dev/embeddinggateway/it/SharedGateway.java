package dev.embeddinggateway.it;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.Map;

/**
 * One gateway with the default configuration ({@code GatewayProcess.start(Map.of())}), shared by every test class
 * extended with this that takes a {@link GatewayProcess} parameter (in a {@code @BeforeAll}, {@code @BeforeEach} or
 * test method). It starts when the first one asks and is stopped once, at the end of the run: the root context's
 * store closes it.
 *
 * <p>For tests that depend on no fresh state: the counters, keys, usage, files and log of this gateway are those
 * of all the tests that share it. A test that counts from zero starts a gateway of its own.
 */
final class SharedGateway implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedGateway.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == GatewayProcess.class;
    }

    @Override
    public GatewayProcess resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // The store closes what it holds (GatewayProcess is AutoCloseable) when the root context ends.
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(GatewayProcess.class, type -> start(), GatewayProcess.class);
    }

    private static GatewayProcess start() {
        try {
            GatewayProcess gateway = GatewayProcess.start(Map.of());
            System.out.printf("shared zero-configuration gateway ready in %d ms%n", gateway.startupMillis());
            return gateway;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new ParameterResolutionException("the shared gateway did not start", e);
        }
    }
}
