package dev.embeddinggateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embeddinggateway.audit.AuditLog;
import dev.embeddinggateway.http.ApiError;
import dev.embeddinggateway.http.ApiException;
import dev.embeddinggateway.http.BoundedText;
import dev.embeddinggateway.limits.PerMinute;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /admin/keys} (the key is in this answer and never again), {@code GET /admin/keys},
 * {@code PATCH /admin/keys/{id}}, {@code DELETE /admin/keys/{id}}; admin only ({@link ApiKeyFilter}); every change
 * is in the audit trail.
 */
@Path("/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
public class AdminKeysResource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RPM = "/rate_limit/requests_per_minute";
    private static final String TPM = "/rate_limit/tokens_per_minute";
    private static final String BUDGET = "/budget/monthly_usd";
    /** The name and team columns' size. */
    private static final int MAX_TEXT = 128;
    /** The most a month's budget may be, in USD: the budget column keeps up to 12 digits before the point and 12 after. */
    private static final BigDecimal MAX_BUDGET = new BigDecimal("1000000000");
    private static final int MAX_BUDGET_DECIMALS = 12;
    /** The models column's size. */
    private static final int MAX_MODELS_JSON = 4000;
    private final StoredKeys stored;
    private final KeyRegistry registry;
    private final AuditLog audit;
    private final CurrentCaller caller;
    private final ServedModels servedModels;

    public AdminKeysResource(StoredKeys stored, KeyRegistry registry, AuditLog audit, CurrentCaller caller,
                             ServedModels servedModels) {
        this.servedModels = servedModels;
        this.stored = stored;
        this.registry = registry;
        this.audit = audit;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(byte[] body) throws SQLException {
        JsonNode request = object(body, "Send a JSON object: {\"name\": …, \"team\": …}.");
        String name = text(request, "name");
        String team = text(request, "team");
        StoredKeys.Created created = stored.create(name, team, models(request.get("models")),
                positive(request.at(RPM), "rate_limit.requests_per_minute"),
                positive(request.at(TPM), "rate_limit.tokens_per_minute"), budget(request.at(BUDGET)),
                (c, key) -> audit.record(c, caller.actor(), "key.created", key.id(), describe(key)));
        registry.refresh();
        Map<String, Object> answer = describe(created.stored());
        answer.put("key", created.key());
        return Response.status(201).entity(answer).build();
    }

    /**
     * Changes a stored key's {@code team}, {@code models}, {@code rate_limit} or {@code budget}: a field sent is set
     * (null = no limit, or every model), a field left out stays as it is.
     */
    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> change(@PathParam("id") String id, byte[] body) throws SQLException {
        JsonNode request = object(body, "Send a JSON object of the fields to change: team, models, rate_limit, budget.");
        StoredKeys.StoredKey key = stored.find(id).orElseThrow(() -> notFound(id));
        StoredKeys.StoredKey changed = new StoredKeys.StoredKey(id, key.name(),
                request.has("team") ? text(request, "team") : key.team(),
                request.has("models") ? models(request.get("models")) : key.models(),
                request.at(RPM).isMissingNode() ? key.requestsPerMinute()
                        : positive(request.at(RPM), "rate_limit.requests_per_minute"),
                request.at(TPM).isMissingNode() ? key.tokensPerMinute()
                        : positive(request.at(TPM), "rate_limit.tokens_per_minute"),
                request.at(BUDGET).isMissingNode() ? key.monthlyBudgetUsd() : budget(request.at(BUDGET)),
                key.createdAt(), key.sha256());
        Map<String, Object> before = describe(key);
        Map<String, Object> after = describe(changed);
        Map<String, Object> changes = new LinkedHashMap<>();
        after.forEach((field, value) -> {
            if (!Objects.equals(value, before.get(field))) {
                changes.put(field, value);
            }
        });
        if (!stored.update(changed, (c, k) -> audit.record(c, caller.actor(), "key.changed", id, changes))) {
            throw notFound(id);
        }
        registry.refresh();
        return after;
    }

    @GET
    public Map<String, Object> list() throws SQLException {
        List<Map<String, Object>> keys = stored.all().stream().map(AdminKeysResource::describe).toList();
        return Map.of("object", "list", "data", keys);
    }

    @DELETE
    @Path("/{id}")
    public Map<String, Object> delete(@PathParam("id") String id) throws SQLException {
        StoredKeys.StoredKey key = stored.find(id).orElseThrow(() -> notFound(id));
        if (!stored.delete(key, (c, k) -> audit.record(c, caller.actor(), "key.revoked", id,
                Map.of("name", k.name(), "team", k.team())))) {
            throw notFound(id);
        }
        registry.refresh();
        return Map.of("id", id, "deleted", true);
    }

    private static ApiException notFound(String id) {
        return new ApiException(404, new ApiError("No stored key has the id '" + id + "'.", ApiError.INVALID_REQUEST,
                "id", "key_not_found"));
    }

    private static JsonNode object(byte[] body, String expected) {
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            throw ApiException.invalid("The request body is not valid JSON.", null);
        }
        if (request == null || !request.isObject()) {
            throw ApiException.invalid(expected, null);
        }
        return request;
    }

    /** Empty (every model) for none or null; each name one the gateway serves (GET /v1/models lists them). */
    private Optional<Set<String>> models(JsonNode models) {
        return Optional.ofNullable(models).filter(m -> !m.isNull()).map(m -> {
            if (!m.isArray()) {
                throw ApiException.invalid("'models' must be an array of model names, or null for every model.", "models");
            }
            Set<String> names = new LinkedHashSet<>();
            m.forEach(n -> {
                if (!n.isTextual()) {
                    throw ApiException.invalid("'models' must be an array of model names (strings).", "models");
                }
                if (!servedModels.serves(n.asText())) {
                    throw ApiException.invalid("'models' names '" + n.asText() + "', which this gateway does not serve: "
                            + "GET /v1/models lists the models.", "models");
                }
                names.add(n.asText());
            });
            if (StoredKeys.modelsJson(names).length() > MAX_MODELS_JSON) {
                throw ApiException.invalid("'models' lists more than its column keeps (" + MAX_MODELS_JSON
                        + " characters as JSON); send null for every model.", "models");
            }
            return Set.copyOf(names);
        });
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
        return BoundedText.check(value.asText(), MAX_TEXT, field);
    }

    private static Optional<Long> positive(JsonNode value, String field) {
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber() || !PerMinute.withinRange(value.asLong())) {
            throw ApiException.invalid("'" + field + "' must be an integer from 1 to " + PerMinute.MAX
                    + ", or null for no limit.", field);
        }
        return Optional.of(value.asLong());
    }

    private static Optional<BigDecimal> budget(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isNumber() || value.decimalValue().signum() < 0 || value.decimalValue().compareTo(MAX_BUDGET) > 0
                || value.decimalValue().stripTrailingZeros().scale() > MAX_BUDGET_DECIMALS) {
            throw ApiException.invalid("'budget.monthly_usd' must be a number from 0 to " + MAX_BUDGET.toPlainString()
                    + " with at most " + MAX_BUDGET_DECIMALS + " decimals, or null for no budget.", "budget.monthly_usd");
        }
        return Optional.of(value.decimalValue());
    }
}
