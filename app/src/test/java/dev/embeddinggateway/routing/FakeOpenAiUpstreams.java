package dev.embeddinggateway.routing;

import dev.embeddinggateway.fakeopenai.FakeOpenAi;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Three fake OpenAI upstreams for the tests' gateway, started before it: {@code openai-a} and
 * {@code openai-b} serve text-embedding-3-small in that order; {@code flaky} is the preferred provider of
 * {@code flaky-model}, whose circuit breaker the tests open.
 */
public class FakeOpenAiUpstreams implements QuarkusTestResourceLifecycleManager {
    public static final FakeOpenAi A = new FakeOpenAi();
    public static final FakeOpenAi B = new FakeOpenAi();
    public static final FakeOpenAi FLAKY = new FakeOpenAi();

    @Override
    public Map<String, String> start() {
        return Map.of("fake-openai-a.url", A.baseUrl(), "fake-openai-b.url", B.baseUrl(),
                "fake-openai-flaky.url", FLAKY.baseUrl());
    }

    @Override
    public void stop() {
        A.close();
        B.close();
        FLAKY.close();
    }

    public static void answerNormally() {
        A.answerEmbeddings();
        B.answerEmbeddings();
        FLAKY.answerEmbeddings();
    }
}
