package dev.embeddinggateway.batch;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.embeddinggateway.auth.Caller;
import dev.embeddinggateway.auth.CurrentCaller;
import dev.embeddinggateway.config.GatewayConfig;
import dev.embeddinggateway.http.ApiError;
import dev.embeddinggateway.http.ApiException;
import dev.embeddinggateway.http.BoundedText;
import dev.embeddinggateway.http.ListPage;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.Optional;

/**
 * OpenAI's Files API for batch input ({@code purpose=batch}): upload (multipart, spooled to disk by the HTTP layer,
 * then streamed into the {@link FileStore}), list, retrieve, download, delete. A file belongs to the key that
 * uploaded it: another key gets 404, as for a file that does not exist; the admin key sees every file, and what it
 * does with another key's is audited. A key keeps at most {@code gateway.files.quota-per-key} bytes of files.
 */
@Path("/v1/files")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
@RequestLimited
public class FilesResource {
    static final int MAX_LIST = 10_000;
    /** The file name column's size. */
    private static final int MAX_FILENAME = 512;
    private final FileStore files;
    private final CurrentCaller caller;
    private final AdminAccessAudit audit;
    private final long quota;

    public FilesResource(FileStore files, CurrentCaller caller, AdminAccessAudit audit, GatewayConfig config) {
        this.files = files;
        this.caller = caller;
        this.audit = audit;
        this.quota = config.files().quotaPerKey().asLongValue();
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public BatchFile upload(@RestForm("file") FileUpload file, @RestForm("purpose") String purpose)
            throws SQLException, IOException {
        if (file == null) {
            throw ApiException.invalid("'file' is required: the multipart part holding the file.", "file");
        }
        if (!"batch".equals(purpose)) {
            throw ApiException.invalid("'purpose' must be \"batch\": this gateway keeps files for batch jobs only"
                    + (purpose == null ? "." : "; '" + purpose + "' was sent."), "purpose");
        }
        String name = file.fileName() == null || file.fileName().isBlank() ? "upload.jsonl"
                : BoundedText.check(file.fileName(), MAX_FILENAME, "file");
        String owner = caller.get().keyId();
        try (InputStream content = Files.newInputStream(file.uploadedFile())) {
            Optional<BatchFile> kept = files.upload(owner, name, file.size(), content, quota);
            if (kept.isEmpty()) {
                throw overQuota(owner, file.size());
            }
            return kept.get();
        }
    }

    private ApiException overQuota(String owner, long size) throws SQLException {
        return new ApiException(400, new ApiError("This file (" + size + " bytes) would take the files kept by key "
                + owner + " (its uploads and its batches' output and error files, " + files.storedBytes(owner)
                + " bytes now) over its quota of " + quota + " bytes (gateway.files.quota-per-key). Delete files it no "
                + "longer needs (DELETE /v1/files/{file_id}), then upload again.", ApiError.INVALID_REQUEST, "file",
                "file_quota_exceeded"));
    }

    @GET
    public ListPage<BatchFile> list(@QueryParam("after") String after, @QueryParam("limit") String limitSent)
            throws SQLException {
        int limit = ListPage.limit(limitSent, MAX_LIST, MAX_LIST);
        audit.onList("files.listed", "/v1/files");
        String owner = owner(caller.get());
        Optional<BatchFile> from = after == null ? Optional.empty() : files.find(after, owner);
        if (after != null && from.isEmpty()) {
            throw notFound(after);
        }
        return ListPage.of(files.list(owner, from, limit + 1), limit, BatchFile::id);
    }

    @GET
    @Path("/{id}")
    public BatchFile retrieve(@PathParam("id") String id) throws SQLException {
        audit.onOthers("file.read", id, files::owner);
        return files.find(id, owner(caller.get())).orElseThrow(() -> notFound(id));
    }

    /**
     * The content as uploaded, streamed from the store. Whatever the client accepts: OpenAI's Python SDK asks for
     * JSON here.
     */
    @GET
    @Path("/{id}/content")
    @Produces(MediaType.WILDCARD)
    public Response content(@PathParam("id") String id) throws SQLException {
        audit.onOthers("file.content_read", id, files::owner);
        BatchFile file = files.find(id, owner(caller.get())).orElseThrow(() -> notFound(id));
        StreamingOutput body = out -> {
            try {
                files.copy(file.id(), out);
            } catch (SQLException e) {
                throw new IOException("the file store failed while sending " + file.id(), e);
            }
        };
        return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM).header("content-length", file.bytes())
                .header("content-disposition", "attachment; filename=\"" + file.filename().replace("\"", "") + "\"").build();
    }

    @DELETE
    @Path("/{id}")
    public Deleted delete(@PathParam("id") String id) throws SQLException {
        audit.onOthers("file.deleted", id, files::owner);
        if (!files.delete(id, owner(caller.get()))) {
            throw notFound(id);
        }
        return new Deleted(id);
    }

    /** Whose files the caller sees: its own, or (null) all of them for the admin. */
    static String owner(Caller caller) {
        return caller.admin() ? null : caller.keyId();
    }

    private static ApiException notFound(String id) {
        return new ApiException(404, new ApiError("No such File object: " + id, ApiError.INVALID_REQUEST, "id", null));
    }

    @JsonPropertyOrder({"id", "object", "deleted"})
    public record Deleted(String id) {
        @JsonProperty
        String object() {
            return "file";
        }

        @JsonProperty
        boolean deleted() {
            return true;
        }
    }
}
