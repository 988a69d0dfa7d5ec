package dev.embeddinggateway.provider.openai;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.OpenAIClientAsyncImpl;
import com.openai.core.ClientOptions;
import com.openai.core.Timeout;
import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.ProviderFactory;
import dev.embeddinggateway.core.ProviderOption;
import dev.embeddinggateway.core.ProviderOptions;

import java.util.List;
import java.util.logging.Logger;

/**
 * Type {@code openai}: OpenAI's embeddings API, or any OpenAI-compatible server ({@code base-url}: Azure
 * OpenAI, Ollama, vLLM, TEI, another Embedding Gateway). Options: {@link OpenAiSettings#OPTIONS}.
 */
public final class OpenAiProviderFactory implements ProviderFactory {
    private static final Logger LOG = Logger.getLogger(OpenAiProviderFactory.class.getName());

    @Override
    public String type() {
        return "openai";
    }

    @Override
    public List<ProviderOption<?>> options() {
        return OpenAiSettings.OPTIONS;
    }

    @Override
    public EmbeddingProvider create(String name, ProviderOptions options) {
        OpenAiSettings settings = OpenAiSettings.from(options);
        Timeout timeout = Timeout.builder().request(settings.timeout()).build();
        ClientOptions.Builder builder = ClientOptions.builder().httpClient(new VertxTransport(settings.maxConcurrency(), timeout))
                .baseUrl(settings.baseUrl()).timeout(timeout).maxRetries(settings.maxRetries());
        settings.azure().ifPresentOrElse(azure -> builder.credential(AzureApiKeyCredential.create(settings.apiKey()))
                        .azureServiceVersion(AzureOpenAIServiceVersion.fromString(azure.apiVersion()))
                        // The deployment path whatever the host (a private endpoint, a proxy).
                        .azureUrlPathMode(AzureUrlPathMode.LEGACY),
                () -> builder.apiKey(settings.apiKey()));
        settings.organization().ifPresent(builder::organization);
        settings.project().ifPresent(builder::project);
        OpenAIClientAsync client = new OpenAIClientAsyncImpl(builder.build());
        // The key itself is never logged.
        LOG.info(String.format("provider %s: %s%s, timeout %s, %d retries, %d calls in flight at most, %s vectors",
                name, settings.baseUrl(), settings.azure().map(a -> " (Azure deployment " + a.deployment() + ", api-version "
                        + a.apiVersion() + ")").orElse(""), settings.timeout(), settings.maxRetries(), settings.maxConcurrency(),
                settings.requestBase64() ? "base64" : "float"));
        return new OpenAiEmbeddingProvider(name, settings, client);
    }
}
