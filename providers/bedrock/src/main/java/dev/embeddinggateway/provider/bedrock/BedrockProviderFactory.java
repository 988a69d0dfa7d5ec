package dev.embeddinggateway.provider.bedrock;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.ProviderFactory;
import dev.embeddinggateway.core.ProviderOption;
import dev.embeddinggateway.core.ProviderOptions;
import dev.embeddinggateway.provider.rest.CloudProviderFactory;
import dev.embeddinggateway.provider.rest.RestUpstream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClientBuilder;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Type {@code bedrock}: AWS Bedrock's {@code InvokeModel} for Titan and Cohere embedding models, through the AWS SDK. */
public final class BedrockProviderFactory implements ProviderFactory {
    static final ProviderOption<String> REGION = ProviderOption.text("region", null,
            "the AWS region, as in `us-east-1` (default: the SDK's region chain: `AWS_REGION`, the profile, ...)");
    static final ProviderOption<String> ACCESS_KEY_ID = ProviderOption.text("access-key-id", null,
            "with `secret-access-key`: static credentials (default: the SDK's credential chain: environment, profile, "
                    + "container or instance role)");
    static final ProviderOption<String> SECRET_ACCESS_KEY = ProviderOption.text("secret-access-key", null,
            "the secret of `access-key-id`; never logged");
    static final ProviderOption<String> SESSION_TOKEN = ProviderOption.text("session-token", null,
            "with temporary credentials");
    static final ProviderOption<String> ENDPOINT = ProviderOption.text("endpoint", null,
            "another endpoint than the region's (a VPC endpoint, a proxy)");
    static final ProviderOption<Integer> MAX_RETRIES = ProviderOption.integer("max-retries", "2",
            "the SDK's retries of a throttled or failed call");

    @Override
    public String type() {
        return "bedrock";
    }

    @Override
    public List<ProviderOption<?>> options() {
        return List.of(REGION, ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN, ENDPOINT, RestUpstream.TIMEOUT,
                CloudProviderFactory.MAX_CONCURRENCY, MAX_RETRIES);
    }

    @Override
    public EmbeddingProvider create(String name, ProviderOptions options) {
        Duration timeout = options.get(RestUpstream.TIMEOUT);
        int retries = options.get(MAX_RETRIES);
        BedrockRuntimeClientBuilder builder = BedrockRuntimeClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofMillis(Math.min(timeout.toMillis(), 10_000)))
                        .socketTimeout(timeout).build())
                .overrideConfiguration(o -> o.apiCallTimeout(timeout.multipliedBy(retries + 1L))
                        .retryStrategy(r -> r.maxAttempts(retries + 1)));
        options.find(REGION).map(Region::of).ifPresent(builder::region);
        options.find(ENDPOINT).map(URI::create).ifPresent(builder::endpointOverride);
        builder.credentialsProvider(credentials(options).<AwsCredentialsProvider>map(StaticCredentialsProvider::create)
                .orElseGet(() -> DefaultCredentialsProvider.builder().build()));
        BedrockRuntimeClient client;
        try {
            client = builder.build();
        } catch (SdkClientException noRegion) {
            throw new IllegalArgumentException(options.key(REGION) + " is not set and the SDK's region chain finds none ("
                    + noRegion.getMessage() + ")", noRegion);
        }
        return new BedrockEmbeddingProvider(name, client, options.get(CloudProviderFactory.MAX_CONCURRENCY));
    }

    /** Static credentials when configured; else the SDK's chain decides, at the first call. */
    private static Optional<AwsCredentials> credentials(ProviderOptions options) {
        Optional<String> id = options.find(ACCESS_KEY_ID);
        Optional<String> secret = options.find(SECRET_ACCESS_KEY);
        if (id.isPresent() != secret.isPresent()) {
            throw new IllegalArgumentException(options.key(ACCESS_KEY_ID) + " and " + options.key(SECRET_ACCESS_KEY)
                    + " go together: set both, or neither for the SDK's credential chain");
        }
        return id.map(key -> options.find(SESSION_TOKEN).<AwsCredentials>map(token ->
                AwsSessionCredentials.create(key, secret.get(), token)).orElseGet(() -> AwsBasicCredentials.create(key, secret.get())));
    }
}
