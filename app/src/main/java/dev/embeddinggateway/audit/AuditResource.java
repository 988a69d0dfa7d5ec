package dev.embeddinggateway.audit;

import dev.embeddinggateway.http.ApiError;
import dev.embeddinggateway.http.ApiException;
import dev.embeddinggateway.http.ListPage;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.sql.SQLException;
import java.util.Optional;

/** {@code GET /admin/audit}: the audit trail, newest first, in OpenAI's list pages (admin only, as all of /admin/*). */
@Path("/admin/audit")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
    private static final int MAX_LIST = 1000;
    private final AuditLog log;

    public AuditResource(AuditLog log) {
        this.log = log;
    }

    @GET
    public ListPage<AuditEvent> list(@QueryParam("after") String after, @QueryParam("limit") String limitSent)
            throws SQLException {
        int limit = ListPage.limit(limitSent, 100, MAX_LIST);
        Optional<AuditEvent> from = after == null ? Optional.empty() : log.find(after);
        if (after != null && from.isEmpty()) {
            throw new ApiException(404, new ApiError("No audit event has the id '" + after + "'.",
                    ApiError.INVALID_REQUEST, "after", null));
        }
        return ListPage.of(log.list(from, limit + 1), limit, AuditEvent::id);
    }
}
