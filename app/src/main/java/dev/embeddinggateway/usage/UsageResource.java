package dev.embeddinggateway.usage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.embeddinggateway.auth.Caller;
import dev.embeddinggateway.auth.CurrentCaller;
import dev.embeddinggateway.http.ApiError;
import dev.embeddinggateway.http.ApiException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code GET /v1/usage?from=&to=&group_by=provider,model,key,team,day,batch&format=json|csv}: the ledger's sums.
 * {@code from} and {@code to} are ISO dates (a whole UTC day; {@code to} included) or instants; the default is
 * this UTC month up to now. Money is a decimal string, exact. Grouped by batch, a batch job's work shows under its
 * id and that of {@code /v1/embeddings} under "".
 */
@Path("/v1/usage")
public class UsageResource {
    private static final List<String> METRICS = List.of("requests", "input_tokens", "billed_tokens", "estimated_tokens", "cached_tokens",
            "cost_usd", "saved_usd");
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = LocalDate.of(10_000, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC);
    /** What a spreadsheet reads as a formula at the start of a cell (OWASP's CSV injection). */
    private static final String FORMULA_STARTS = "=+-@\t\r";
    private final UsageLedger ledger;
    private final CurrentCaller caller;

    public UsageResource(UsageLedger ledger, CurrentCaller caller) {
        this.ledger = ledger;
        this.caller = caller;
    }

    @GET
    public Response usage(@QueryParam("from") String from, @QueryParam("to") String to,
                          @QueryParam("group_by") @DefaultValue("") String groupBy,
                          @QueryParam("format") @DefaultValue("json") String format) {
        Instant start = from == null ? LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay().toInstant(ZoneOffset.UTC)
                : instant(from, "from", false);
        Instant end = to == null ? Instant.now().plusSeconds(60) : instant(to, "to", true);
        List<String> groups = Arrays.stream(groupBy.split(",")).map(String::trim).filter(g -> !g.isEmpty()).distinct().toList();
        for (String group : groups) {
            if (!UsageStore.GROUPS.containsKey(group)) {
                throw ApiException.invalid("'group_by' takes provider, model, key, team, day, hour, minute and batch; '" + group
                        + "' is none of them.", "group_by");
            }
        }
        if (!format.equals("json") && !format.equals("csv")) {
            throw ApiException.invalid("'format' must be json or csv.", "format");
        }
        List<UsageStore.Sum> sums;
        try {
            // The admin key sees every team; any other key its own team (while the gateway is open: everything).
            Caller who = caller.get();
            boolean all = who.admin() || who.equals(Caller.ANONYMOUS);
            sums = ledger.sum(start, end, groups, all ? Optional.empty() : Optional.of(who.team()));
        } catch (SQLException e) {
            throw new ApiException(503, new ApiError("The usage store is unreachable; usage is kept and written when it "
                    + "returns. Retry later.", "server_error", null, "store_unavailable"));
        }
        List<Map<String, Object>> rows = sums.stream().map(UsageResource::row).toList();
        return format.equals("csv")
                ? Response.ok(csv(groups, rows), "text/csv").build()
                : Response.ok(new Report(start, end, groups, rows), MediaType.APPLICATION_JSON).build();
    }

    private static Instant instant(String value, String param, boolean endOfDay) {
        Instant instant;
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                instant = (endOfDay ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC);
            } else {
                instant = Instant.parse(value);
            }
        } catch (DateTimeParseException e) {
            instant = null;
        }
        // Instant reaches years the database's timestamps do not.
        if (instant == null || instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ApiException.invalid("'" + param + "' must be a date (2026-11-28) or an instant (2026-11-28T10:00:00Z), "
                    + "from 1970 to 9999.", param);
        }
        return instant;
    }

    private static Map<String, Object> row(UsageStore.Sum sum) {
        Map<String, Object> row = new LinkedHashMap<>(sum.group());
        UsageRow.Totals t = sum.totals();
        row.put("requests", t.requests());
        row.put("input_tokens", t.inputTokens());
        row.put("billed_tokens", t.billedTokens());
        row.put("estimated_tokens", t.estimatedTokens());
        row.put("cached_tokens", t.cachedTokens());
        row.put("cost_usd", t.costUsd().toPlainString());
        row.put("saved_usd", t.savedUsd().toPlainString());
        return row;
    }

    private static String csv(List<String> groups, List<Map<String, Object>> rows) {
        List<String> columns = new ArrayList<>(groups);
        columns.addAll(METRICS);
        StringBuilder out = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Object> row : rows) {
            out.append(columns.stream().map(c -> csvField(String.valueOf(row.get(c)))).collect(Collectors.joining(","))).append('\n');
        }
        return out.toString();
    }

    /** A cell as text: quoted where it must be, and never read as a formula (a team named "=cmd|..."). */
    private static String csvField(String value) {
        String cell = !value.isEmpty() && FORMULA_STARTS.indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")
                ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Report(Instant from, Instant to, @JsonProperty("group_by") List<String> groupBy, List<Map<String, Object>> data) {
        @JsonProperty
        String object() {
            return "list";
        }
    }
}
