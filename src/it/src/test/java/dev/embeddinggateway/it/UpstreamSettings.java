package dev.embeddinggateway.it;

import dev.embeddinggateway.fakeopenai.FakeOpenAi;

import java.util.HashMap;
import java.util.Map;

/** A gateway's settings for one model served by a fake OpenAI upstream (instance {@code upstream}). */
final class UpstreamSettings {
    private UpstreamSettings() {
    }

    /** {@code model} served by {@code upstream}, with {@code more} settings (name, value, ...); a map to add to. */
    static Map<String, String> openAi(FakeOpenAi upstream, String model, String... more) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "gateway.providers.upstream.type", "openai",
                "gateway.providers.upstream.base-url", upstream.baseUrl(),
                "gateway.providers.upstream.api-key", "sk-upstream-secret",
                "gateway.models.\"" + model + "\".providers", "upstream"));
        for (int i = 0; i + 1 < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }
}
