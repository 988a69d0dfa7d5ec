package dev.embeddinggateway.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a client puts into a URL, a key there never reaches the gateway's log (the access log included), and a
 * URL that cannot be decoded is answered in OpenAI's shape like any bad request. On the shared gateway: its log
 * holds the other tests' traffic too, in which no ERROR may appear either.
 */
@ExtendWith(SharedGateway.class)
class CredentialsNeverLoggedIT {
    private static GatewayProcess gateway;

    @BeforeAll
    static void start(GatewayProcess shared) {
        gateway = shared;
    }

    /** A GET of a request target as written, which no Java HTTP client would send. */
    private static String rawGet(String target) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void anUndecodableUrlIsA400InOpenAisShapeAndNoError() throws Exception {
        assertThat(rawGet("/v1/models/a%ZZb")).startsWith("HTTP/1.1 400")
                .contains("\"type\":\"invalid_request_error\"").contains("cannot be decoded");
        assertThat(gateway.log()).doesNotContain("ERROR");
    }

    @Test
    void keysInQueryStringsAndUserinfoStayOutOfTheLog() throws Exception {
        for (String query : new String[]{"?api_key=sk-query-secret-1", "?key=sk-query-secret-2&x=1"}) {
            new GatewayClient(gateway).get("/v1/models" + query);
        }
        // The absolute form of a request line, as a proxy sends it, with credentials in its userinfo.
        assertThat(rawGet("http://sk-userinfo-secret:pw@127.0.0.1:" + gateway.port() + "/v1/models?token=sk-query-secret-3"))
                .startsWith("HTTP/1.1 200");
        Thread.sleep(500); // the access log is written as the answer goes out
        assertThat(gateway.log()).contains("\"GET /v1/models HTTP/1.1\" 200").contains("\"GET /v1/models HTTP/2\" 200")
                .doesNotContain("sk-query-secret").doesNotContain("sk-userinfo-secret");
    }
}
