package dev.embeddinggateway.fakeopenai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BiFunction;

/**
 * A fake server's answer computed from the request's JSON body, for the stubs that name it
 * ({@code withTransformers(name)}); the stub's own definition (its delay, say) comes along.
 */
public record JsonAnswer(String name, BiFunction<JsonNode, ResponseDefinition, ResponseDefinitionBuilder> answer)
        implements ResponseDefinitionTransformerV2 {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        try {
            return answer.apply(JSON.readTree(event.getRequest().getBodyAsString()), event.getResponseDefinition()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
