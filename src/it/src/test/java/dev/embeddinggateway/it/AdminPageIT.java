package dev.embeddinggateway.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin page (/admin.html) in headless Chromium (src/it/page/admin.mjs): an administrator signs in with the
 * admin key, creates a key (shown once, copied), changes its limit, revokes it, and sees each step in the audit
 * trail, while the key itself works, then is limited, then refused. Screenshots stay in the build output:
 * src/it/target/admin.png and admin-phone.png.
 */
@Slow
class AdminPageIT {
    private static final String ADMIN_KEY = "sk-admin-page-test";

    @Test
    void anAdministratorManagesAKeyThroughThePage() throws Exception {
        Path screenshot = Path.of("target", "admin.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        try (GatewayProcess gateway = GatewayProcess.start(Map.of("gateway.admin.key-sha256", KeyHashes.sha256(ADMIN_KEY)))) {
            Path log = Files.createTempFile("admin-page", ".log");
            Process node = new ProcessBuilder("node", "page/admin.mjs", gateway.url(""), ADMIN_KEY, screenshot.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = node.waitFor(90, TimeUnit.SECONDS);
            String output = Files.readString(log);
            System.out.println(output);
            assertThat(done).as("page test finished").isTrue();
            assertThat(node.exitValue()).as(output).isZero();
            assertThat(gateway.log()).doesNotContain(ADMIN_KEY);
        }
        assertThat(Files.size(screenshot)).isGreaterThan(20_000);
        assertThat(Files.size(Path.of("target", "admin-phone.png"))).isGreaterThan(10_000);
    }
}
