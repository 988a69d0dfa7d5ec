package dev.embeddinggateway.batch;

import dev.embeddinggateway.auth.KeysProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** A key's request limit and storage quota on the Files and Batches APIs, under bursts. */
@QuarkusTest
@TestProfile(KeysProfile.class)
class FileLimitsTest {

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    private static List<Response> burst(int calls, Callable<Response> call) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(Math.min(calls, 20));
        try {
            List<Future<Response>> pending = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                pending.add(clients.submit(call));
            }
            List<Response> answers = new ArrayList<>();
            for (Future<Response> answer : pending) {
                answers.add(answer.get());
            }
            return answers;
        } finally {
            clients.shutdown();
        }
    }

    @Test
    void everyFilesAndBatchesCallCountsAgainstTheKeysRequestLimit() throws Exception {
        // 5 requests a minute: of 100 concurrent calls, 5 are answered, 95 refused as /v1/embeddings refuses them.
        List<Response> answers = burst(100, () -> as(KeysProfile.FILES_LIMITED).get("/v1/files"));
        List<Response> admitted = answers.stream().filter(r -> r.statusCode() == 200).toList();
        List<Response> refused = answers.stream().filter(r -> r.statusCode() == 429).toList();
        System.out.printf("100 concurrent GET /v1/files, 5 per minute: %d admitted, %d refused%n", admitted.size(), refused.size());
        assertThat(admitted).hasSize(5);
        assertThat(refused).hasSize(95);
        assertThat(admitted.get(0).getHeader("x-ratelimit-limit-requests")).isEqualTo("5");
        Response limited = refused.get(0);
        limited.then().body("error.code", equalTo("rate_limit_exceeded")).body("error.type", equalTo("requests"))
                .header("x-ratelimit-limit-requests", "5").header("x-ratelimit-remaining-requests", "0");
        assertThat(Integer.parseInt(limited.getHeader("retry-after"))).isBetween(1, 60);
        // Every endpoint of both APIs, uploads and batch creation included.
        as(KeysProfile.FILES_LIMITED).multiPart("file", "x.jsonl", new byte[]{'{', '}'}).multiPart("purpose", "batch")
                .post("/v1/files").then().statusCode(429).body("error.code", equalTo("rate_limit_exceeded"));
        as(KeysProfile.FILES_LIMITED).contentType(ContentType.JSON).body(Map.of("input_file_id", "file-x",
                "endpoint", "/v1/embeddings", "completion_window", "24h")).post("/v1/batches").then().statusCode(429);
        as(KeysProfile.FILES_LIMITED).get("/v1/batches").then().statusCode(429);
        as(KeysProfile.FILES_LIMITED).get("/v1/files/file-x").then().statusCode(429);
    }

    @Test
    void concurrentUploadsKeepOnlyWhatTheQuotaHolds() throws Exception {
        // 64 MiB a key: one upload of 40 MB fits, two do not; of two at once exactly one is kept. (Hundreds at once:
        // FilesTest, against the store.)
        byte[] fortyMegabytes = new byte[40_000_000];
        List<Response> answers = burst(2, () -> as(KeysProfile.UPLOADER).multiPart("file", "big.jsonl", fortyMegabytes)
                .multiPart("purpose", "batch").post("/v1/files"));
        assertThat(answers).extracting(Response::statusCode).containsExactlyInAnyOrder(200, 400);
        Response refused = answers.stream().filter(r -> r.statusCode() == 400).findFirst().orElseThrow();
        refused.then().body("error.type", equalTo("invalid_request_error")).body("error.code", equalTo("file_quota_exceeded"))
                .body("error.param", equalTo("file"));
        assertThat(refused.path("error.message").toString()).contains("gateway.files.quota-per-key")
                .contains(String.valueOf(KeysProfile.FILES_QUOTA));
        List<Integer> kept = as(KeysProfile.UPLOADER).get("/v1/files").then().statusCode(200).extract().jsonPath()
                .getList("data.bytes", Integer.class);
        assertThat(kept).containsExactly(40_000_000);

        // 40 + 30 MB is over: refused before it is stored; room again once the first is deleted.
        as(KeysProfile.UPLOADER).multiPart("file", "more.jsonl", new byte[30_000_000]).multiPart("purpose", "batch")
                .post("/v1/files").then().statusCode(400).body("error.code", equalTo("file_quota_exceeded"));
        List<String> ids = as(KeysProfile.UPLOADER).get("/v1/files").then().extract().jsonPath().getList("data.id", String.class);
        as(KeysProfile.UPLOADER).delete("/v1/files/" + ids.get(0)).then().statusCode(200);
        as(KeysProfile.UPLOADER).multiPart("file", "more.jsonl", new byte[30_000_000]).multiPart("purpose", "batch")
                .post("/v1/files").then().statusCode(200);
        for (String id : as(KeysProfile.UPLOADER).get("/v1/files").then().extract().jsonPath().getList("data.id", String.class)) {
            as(KeysProfile.UPLOADER).delete("/v1/files/" + id).then().statusCode(200);
        }
    }
}
