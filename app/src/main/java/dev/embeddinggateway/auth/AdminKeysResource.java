package dev.embeddinggateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embeddinggateway.http.ApiError;
import dev.embeddinggateway.http.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /admin/keys} (the key is in this answer and never again), {@code GET /admin/keys},
 * {@code DELETE /admin/keys/{id}}; admin key only ({@link ApiKeyFilter}).
 */
@Path("/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
public class AdminKeysResource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StoredKeys stored;
    private final KeyRegistry registry;

    public AdminKeysResource(StoredKeys stored, KeyRegistry registry) {
        this.stored = stored;
        this.registry = registry;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(byte[] body) throws SQLException {
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            throw ApiException.invalid("The request body is not valid JSON.", null);
        }
        if (request == null || !request.isObject()) {
            throw ApiException.invalid("Send a JSON object: {\"name\": …, \"team\": …}.", null);
        }
        String name = text(request, "name");
        String team = text(request, "team");
        Optional<Set<String>> models = Optional.ofNullable(request.get("models")).filter(m -> !m.isNull()).map(m -> {
            if (!m.isArray()) {
                throw ApiException.invalid("'models' must be an array of model names.", "models");
            }
            Set<String> names = new LinkedHashSet<>();
            m.forEach(n -> names.add(n.asText()));
            return Set.copyOf(names);
        });
        StoredKeys.Created created = stored.create(name, team, models,
                positive(request.at("/rate_limit/requests_per_minute"), "rate_limit.requests_per_minute"),
                positive(request.at("/rate_limit/tokens_per_minute"), "rate_limit.tokens_per_minute"),
                budget(request.at("/budget/monthly_usd")));
        registry.refresh();
        Map<String, Object> answer = describe(created.stored());
        answer.put("key", created.key());
        return Response.status(201).entity(answer).build();
    }

    @GET
    public Map<String, Object> list() throws SQLException {
        List<Map<String, Object>> keys = stored.all().stream().map(AdminKeysResource::describe).toList();
        return Map.of("object", "list", "data", keys);
    }

    @DELETE
    @Path("/{id}")
    public Map<String, Object> delete(@PathParam("id") String id) throws SQLException {
        if (!stored.delete(id)) {
            throw new ApiException(404, new ApiError("No stored key has the id '" + id + "'.", ApiError.INVALID_REQUEST,
                    "id", "key_not_found"));
        }
        registry.refresh();
        return Map.of("id", id, "deleted", true);
    }

    private static Map<String, Object> describe(StoredKeys.StoredKey key) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("id", key.id());
        described.put("name", key.name());
        described.put("team", key.team());
        described.put("models", key.models().orElse(null));
        described.put("rate_limit", Map.of("requests_per_minute", key.requestsPerMinute().map(Object.class::cast).orElse("unlimited"),
                "tokens_per_minute", key.tokensPerMinute().map(Object.class::cast).orElse("unlimited")));
        described.put("budget", Map.of("monthly_usd", key.monthlyBudgetUsd().map(BigDecimal::toPlainString).orElse("unlimited")));
        described.put("created_at", key.createdAt().toString());
        return described;
    }

    private static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw ApiException.invalid("'" + field + "' is required: a non-empty string.", field);
        }
        return value.asText();
    }

    private static Optional<Long> positive(JsonNode value, String field) {
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 1) {
            throw ApiException.invalid("'" + field + "' must be a positive integer.", field);
        }
        return Optional.of(value.asLong());
    }

    private static Optional<BigDecimal> budget(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isNumber() || value.decimalValue().signum() < 0) {
            throw ApiException.invalid("'budget.monthly_usd' must be a non-negative number.", "budget.monthly_usd");
        }
        return Optional.of(value.decimalValue());
    }
}
