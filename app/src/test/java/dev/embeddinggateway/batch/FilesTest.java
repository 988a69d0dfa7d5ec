package dev.embeddinggateway.batch;

import dev.embeddinggateway.store.Database;
import dev.embeddinggateway.store.SqlRows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** OpenAI's Files API for batch input, as a client sees it. */
@QuarkusTest
class FilesTest {

    static Response upload(String name, byte[] content, String purpose) {
        return given().multiPart("file", name, content, "application/jsonl").multiPart("purpose", purpose).post("/v1/files");
    }

    @Test
    void aFileLargerThanAChunkComesBackByteForByte() {
        byte[] content = new byte[FileStore.CHUNK * 2 + 12_345];
        new Random(7).nextBytes(content);
        Response created = upload("big.jsonl", content, "batch").then().statusCode(200)
                .body("object", equalTo("file")).body("id", startsWith("file-")).body("bytes", equalTo(content.length))
                .body("filename", equalTo("big.jsonl")).body("purpose", equalTo("batch")).body("status", equalTo("processed"))
                .extract().response();
        String id = created.path("id");
        given().get("/v1/files/" + id).then().statusCode(200).body("id", equalTo(id)).body("bytes", equalTo(content.length));
        byte[] back = given().get("/v1/files/" + id + "/content").then().statusCode(200)
                .header("content-length", String.valueOf(content.length)).extract().asByteArray();
        assertThat(back).isEqualTo(content);
        // As OpenAI's Python SDK asks for it.
        assertThat(given().accept("application/json").get("/v1/files/" + id + "/content").then().statusCode(200)
                .extract().asByteArray()).isEqualTo(content);
    }

    @Test
    void anEmptyFileIsAFileOfNoBytes() {
        String id = upload("empty.jsonl", new byte[0], "batch").then().statusCode(200).body("bytes", equalTo(0))
                .extract().path("id");
        assertThat(given().get("/v1/files/" + id + "/content").then().statusCode(200).extract().asByteArray()).isEmpty();
    }

    @Test
    void listingIsNewestFirstInPagesAndDeletedFilesAreGone() {
        List<String> ids = List.of("a", "b", "c").stream().map(n -> (String) upload(n + ".jsonl",
                ("{\"custom_id\":\"" + n + "\"}\n").getBytes(StandardCharsets.UTF_8), "batch").path("id")).toList();
        Response page = given().get("/v1/files?limit=2").then().statusCode(200).body("object", equalTo("list"))
                .body("has_more", equalTo(true)).extract().response();
        List<String> first = page.jsonPath().getList("data.id");
        assertThat(first).hasSize(2);
        List<String> next = given().get("/v1/files?limit=2&after=" + page.path("last_id")).then().statusCode(200)
                .extract().jsonPath().getList("data.id");
        assertThat(next).doesNotContainAnyElementsOf(first);
        given().delete("/v1/files/" + ids.get(1)).then().statusCode(200).body("id", equalTo(ids.get(1)))
                .body("object", equalTo("file")).body("deleted", equalTo(true));
        given().get("/v1/files/" + ids.get(1)).then().statusCode(404).body("error.type", equalTo("invalid_request_error"));
        given().get("/v1/files/" + ids.get(1) + "/content").then().statusCode(404);
        given().delete("/v1/files/" + ids.get(1)).then().statusCode(404);
        assertThat(given().get("/v1/files").then().statusCode(200).extract().jsonPath().getList("data.id", String.class))
                .contains(ids.get(0), ids.get(2)).doesNotContain(ids.get(1));
    }

    @Test
    void badUploadsAreClear400s() {
        upload("x.jsonl", new byte[]{1}, "fine-tune").then().statusCode(400).body("error.param", equalTo("purpose"));
        given().multiPart("purpose", "batch").post("/v1/files").then().statusCode(400).body("error.param", equalTo("file"));
        given().get("/v1/files?limit=0").then().statusCode(400).body("error.param", equalTo("limit"));
        given().get("/v1/files/file-nosuch").then().statusCode(404);
    }

    @Test
    void aFileNameBeyondItsColumnIsA400NamingTheFileAndOneAtItIsKeptAsSent() {
        upload("n".repeat(507) + ".jsonl", new byte[]{1}, "batch").then().statusCode(400).header("retry-after", nullValue())
                .body("error.type", equalTo("invalid_request_error")).body("error.param", equalTo("file"));
        String name = "n".repeat(506) + ".jsonl";
        upload(name, new byte[]{1}, "batch").then().statusCode(200).body("filename", equalTo(name));
    }

    @Inject
    FileStore files;
    @Inject
    Database database;

    @Test
    void hundredsOfConcurrentUploadsOfOneKeyKeepOnlyWhatItsQuotaHolds() throws Exception {
        String owner = "quota-" + UUID.randomUUID();
        long orphansBefore = orphanChunks();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<Optional<BatchFile>>> uploads = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            uploads.add(clients.submit(() -> files.upload(owner, "f.jsonl", 100, new ByteArrayInputStream(new byte[100]), 10_000)));
        }
        int kept = 0;
        for (Future<Optional<BatchFile>> upload : uploads) {
            kept += upload.get().isPresent() ? 1 : 0;
        }
        clients.shutdown();
        System.out.printf("300 concurrent uploads of 100 bytes against a quota of 10,000: %d kept%n", kept);
        assertThat(kept).isEqualTo(100);
        assertThat(files.storedBytes(owner)).isEqualTo(10_000);
        assertThat(files.list(owner, Optional.empty(), 1000)).hasSize(100);
        assertThat(orphanChunks()).as("a refused upload leaves no content behind").isEqualTo(orphansBefore);
        for (BatchFile file : files.list(owner, Optional.empty(), 1000)) {
            files.delete(file.id(), owner);
        }
    }

    private long orphanChunks() throws SQLException {
        try (Connection connection = database.connection()) {
            return SqlRows.query(connection, "SELECT COUNT(*) FROM batch_file_chunk c WHERE NOT EXISTS "
                    + "(SELECT 1 FROM batch_file f WHERE f.id = c.file_id)", rs -> rs.getLong(1)).get(0);
        }
    }

    /** A multipart upload sent with its Content-Length, as most clients send it (RestAssured's is chunked). */
    private static HttpResponse<String> uploadWithLength(byte[] content) throws Exception {
        String boundary = "b" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"sized.jsonl\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/v1/files"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status line, headers and body a request that declares {@code length} bytes and sends none is answered with. */
    private static String declaring(String path, long length) throws Exception {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                    + "multipart/form-data; boundary=x\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            socket.setSoTimeout(10_000);
            // The answer is whole once its body has the length it declares (the connection may stay open).
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            Matcher declared;
            String text = "";
            do {
                int n = socket.getInputStream().read(buffer);
                if (n < 0) {
                    break;
                }
                answer.write(buffer, 0, n);
                text = answer.toString(StandardCharsets.UTF_8);
                declared = Pattern.compile("(?i)content-length: (\\d+)").matcher(text);
            } while (!(text.contains("\r\n\r\n") && declared.find()
                    && text.length() - text.indexOf("\r\n\r\n") - 4 >= Integer.parseInt(declared.group(1))));
            return text;
        }
    }

    @Test
    void uploadsUpTo64MAreTakenWhateverTheEmbeddingsBodyLimit() throws Exception {
        // Here gateway.max-body-size is 1M; an upload is held to quarkus.http.limits.max-body-size (64M) instead.
        byte[] content = new byte[60 << 20];
        new Random(11).nextBytes(content);
        HttpResponse<String> taken = uploadWithLength(content);
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);
        String id = JsonPath.from(taken.body()).getString("id");
        assertThat(JsonPath.from(taken.body()).getLong("bytes")).isEqualTo(content.length);
        assertThat(given().get("/v1/files/" + id + "/content").then().statusCode(200).extract().asByteArray()).isEqualTo(content);
        given().delete("/v1/files/" + id).then().statusCode(200);

        String tooLarge = declaring("/v1/files", (64L << 20) + 1);
        assertThat(tooLarge).startsWith("HTTP/1.1 413").contains("\"type\":\"invalid_request_error\"")
                .contains("larger than this gateway takes (" + (64L << 20) + " bytes)");
        // Sent chunked, without a Content-Length: refused as it is read (by the HTTP layer, with no body).
        upload("huge.jsonl", new byte[(64 << 20) + (1 << 20)], "batch").then().statusCode(413);
        // /v1/embeddings keeps its own limit.
        assertThat(declaring("/v1/embeddings", 2 << 20)).startsWith("HTTP/1.1 413").contains("(1048576 bytes)");
    }
}
