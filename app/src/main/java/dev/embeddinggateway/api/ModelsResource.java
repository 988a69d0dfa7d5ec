package dev.embeddinggateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.embeddinggateway.auth.CurrentCaller;
import dev.embeddinggateway.core.InputTypes;
import dev.embeddinggateway.http.ApiException;
import dev.embeddinggateway.routing.ProviderRouter;
import dev.embeddinggateway.routing.Route;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{model}}, in OpenAI's shape with the model's facts added: the
 * models the caller's key may use, and no other.
 */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {
    private final ProviderRouter router;
    private final CurrentCaller caller;

    public ModelsResource(ProviderRouter router, CurrentCaller caller) {
        this.router = router;
        this.caller = caller;
    }

    @GET
    public ModelList list() {
        return new ModelList(router.routes().all().stream().filter(r -> caller.get().mayUse(r.name()))
                .map(ModelsResource::describe).toList());
    }

    /** Model ids may hold slashes ({@code BAAI/bge-small-en-v1.5}), sent encoded or not. */
    @GET
    @Path("/{model: .+}")
    public Model get(@PathParam("model") String model) {
        return router.routes().find(model).filter(r -> caller.get().mayUse(r.name())).map(ModelsResource::describe)
                .orElseThrow(() -> ApiException.modelNotFound(model));
    }

    private static Model describe(Route route) {
        String provider = route.providers().get(0).name();
        InputTypes types = route.inputTypes();
        return new Model(route.name(), provider, route.info().dimensions(), route.info().maxInputTokens(), provider,
                types.accepted(), types.defaultType().orElse(null), new TreeMap<>(types.prompts()));
    }

    @JsonPropertyOrder({"object", "data"})
    record ModelList(List<Model> data) {
        @JsonProperty
        String object() {
            return "list";
        }
    }

    /**
     * @param inputTypes       what {@code input_type} may be
     * @param defaultInputType the type of a request that names none; null for none
     * @param prompts          the text put before the input, per type that has one
     */
    @JsonPropertyOrder({"id", "object", "created", "owned_by"})
    record Model(String id, @JsonProperty("owned_by") String ownedBy, int dimensions,
                 @JsonProperty("max_input_tokens") int maxInputTokens, String provider,
                 @JsonProperty("input_types") List<String> inputTypes,
                 @JsonProperty("default_input_type") String defaultInputType, Map<String, String> prompts) {
        @JsonProperty
        String object() {
            return "model";
        }

        @JsonProperty
        long created() {
            return 0;
        }
    }
}
