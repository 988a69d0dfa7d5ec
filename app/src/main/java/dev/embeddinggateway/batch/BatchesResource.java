package dev.embeddinggateway.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embeddinggateway.audit.AuditLog;
import dev.embeddinggateway.auth.CurrentCaller;
import dev.embeddinggateway.http.ApiError;
import dev.embeddinggateway.http.ApiException;
import dev.embeddinggateway.http.BodySizeLimit;
import dev.embeddinggateway.http.ListPage;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI's Batches API for {@code /v1/embeddings}: create (from an uploaded file), retrieve, cancel, list. A
 * batch belongs to the key that created it and runs as that key (its models, limits and budget); another key
 * gets 404, the admin key sees and cancels every batch. The work itself is the {@link BatchRunner}'s, on
 * whichever replicas run one.
 */
@Path("/v1/batches")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
@RequestLimited
public class BatchesResource {
    static final String ENDPOINT = "/v1/embeddings";
    static final String WINDOW = "24h";
    static final int MAX_LIST = 100;
    private static final int MAX_METADATA_PAIRS = 16;
    private static final int MAX_METADATA_KEY = 64;
    private static final int MAX_METADATA_VALUE = 512;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BatchStore batches;
    private final FileStore files;
    private final CurrentCaller caller;
    private final BodySizeLimit bodies;
    private final AuditLog audit;
    private final AdminAccessAudit adminAccess;

    public BatchesResource(BatchStore batches, FileStore files, CurrentCaller caller, BodySizeLimit bodies,
                           AuditLog audit, AdminAccessAudit adminAccess) {
        this.batches = batches;
        this.files = files;
        this.caller = caller;
        this.bodies = bodies;
        this.audit = audit;
        this.adminAccess = adminAccess;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Batch create(InputStream body) throws IOException, SQLException {
        JsonNode request = object(bodies.readWithinLimit(body));
        String inputFileId = text(request, "input_file_id");
        String endpoint = text(request, "endpoint");
        String window = text(request, "completion_window");
        if (!endpoint.equals(ENDPOINT)) {
            throw ApiException.invalid("'endpoint' must be \"" + ENDPOINT + "\": this gateway runs batches of embeddings "
                    + "only; '" + endpoint + "' was sent.", "endpoint");
        }
        if (!window.equals(WINDOW)) {
            throw ApiException.invalid("'completion_window' must be \"" + WINDOW + "\".", "completion_window");
        }
        String owner = FilesResource.owner(caller.get());
        adminAccess.onOthers("file.read", inputFileId, files::owner);
        BatchFile input = files.find(inputFileId, owner).orElseThrow(() -> new ApiException(404, new ApiError(
                "No such File object: " + inputFileId, ApiError.INVALID_REQUEST, "input_file_id", null)));
        if (!input.purpose().equals("batch")) {
            throw ApiException.invalid("File " + inputFileId + " has purpose '" + input.purpose() + "'; a batch reads a "
                    + "file uploaded with purpose \"batch\".", "input_file_id");
        }
        return batches.create(caller.get().keyId(), caller.get().team(), inputFileId, endpoint, window, metadata(request.get("metadata")));
    }

    private static JsonNode object(byte[] body) {
        try {
            JsonNode request = JSON.readTree(body);
            if (request != null && request.isObject()) {
                return request;
            }
        } catch (IOException e) {
            // answered below
        }
        throw ApiException.invalid("The request body must be a JSON object such as {\"input_file_id\": \"file-...\", "
                + "\"endpoint\": \"" + ENDPOINT + "\", \"completion_window\": \"" + WINDOW + "\"}.", null);
    }

    private static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.invalid("'" + field + "' is required.", field);
        }
        if (!value.isTextual()) {
            throw ApiException.invalid("'" + field + "' must be a string.", field);
        }
        return value.asText();
    }

    /** OpenAI's metadata: at most 16 string pairs, keys up to 64 characters, values up to 512. */
    private static String metadata(JsonNode metadata) {
        if (metadata == null || metadata.isNull()) {
            return null;
        }
        if (!metadata.isObject() || metadata.size() > MAX_METADATA_PAIRS) {
            throw ApiException.invalid("'metadata' must be an object of at most " + MAX_METADATA_PAIRS + " string values.",
                    "metadata");
        }
        for (Iterator<Map.Entry<String, JsonNode>> pairs = metadata.fields(); pairs.hasNext(); ) {
            Map.Entry<String, JsonNode> pair = pairs.next();
            if (pair.getKey().length() > MAX_METADATA_KEY || !pair.getValue().isTextual()
                    || pair.getValue().asText().length() > MAX_METADATA_VALUE) {
                throw ApiException.invalid("'metadata' keys are strings of up to " + MAX_METADATA_KEY + " characters, its "
                        + "values strings of up to " + MAX_METADATA_VALUE + "; '" + pair.getKey() + "' is not.", "metadata");
            }
        }
        return metadata.toString();
    }

    @GET
    @Path("/{id}")
    public Batch retrieve(@PathParam("id") String id) throws SQLException {
        adminAccess.onOthers("batch.read", id, batches::owner);
        return batches.find(id, FilesResource.owner(caller.get())).orElseThrow(() -> notFound(id));
    }

    /** Stops a batch: {@code cancelling} now, {@code cancelled} once what was done is written out. */
    @POST
    @Path("/{id}/cancel")
    public Batch cancel(@PathParam("id") String id) throws SQLException {
        Batch batch = batches.cancel(id, FilesResource.owner(caller.get())).orElseThrow(() -> notFound(id));
        if (batch.finished()) {
            throw new ApiException(409, new ApiError("Batch " + id + " is " + batch.status() + ": there is nothing to "
                    + "cancel.", ApiError.INVALID_REQUEST, null, null));
        }
        if (caller.get().admin()) {
            audit.record(caller.actor(), "batch.cancelled", id, Map.of("request_counts", batch.requestCounts()));
        }
        return batch;
    }

    @GET
    public ListPage<Batch> list(@QueryParam("after") String after, @QueryParam("limit") String limitSent)
            throws SQLException {
        int limit = ListPage.limit(limitSent, 20, MAX_LIST);
        adminAccess.onList("batches.listed", "/v1/batches");
        String owner = FilesResource.owner(caller.get());
        Optional<Batch> from = after == null ? Optional.empty() : batches.find(after, owner);
        if (after != null && from.isEmpty()) {
            throw notFound(after);
        }
        return ListPage.of(batches.list(owner, from, limit + 1), limit, Batch::id);
    }

    private static ApiException notFound(String id) {
        return new ApiException(404, new ApiError("No such Batch object: " + id, ApiError.INVALID_REQUEST, "id", null));
    }
}
