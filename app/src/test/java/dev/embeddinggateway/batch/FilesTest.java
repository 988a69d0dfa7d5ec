package dev.embeddinggateway.batch;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

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
}
