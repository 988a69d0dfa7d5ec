package dev.embeddinggateway.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard at / in headless Chromium (Debian's, driven by playwright-core: src/it/page): after real
 * traffic its charts are drawn with that traffic's data. The screenshot stays in the build output,
 * src/it/target/dashboard.png.
 */
class DashboardPageIT {

    @Test
    void chartsAreDrawnWithRealData() throws Exception {
        Path screenshot = Path.of("target", "dashboard.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        try (GatewayProcess gateway = GatewayProcess.start(LedgerTraffic.PRICED_MODEL)) {
            LedgerTraffic.burst(gateway, 20, 4, " " + UUID.randomUUID());
            LedgerTraffic.embed(gateway, List.of("one more"));
            Path log = Files.createTempFile("dashboard", ".log");
            Process node = new ProcessBuilder("node", "page/dashboard.mjs", gateway.url("/"), screenshot.toString(),
                    LedgerTraffic.MODEL).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = node.waitFor(90, TimeUnit.SECONDS);
            String output = Files.readString(log);
            System.out.println(output);
            assertThat(done).as("page test finished").isTrue();
            assertThat(node.exitValue()).as(output).isZero();
        }
        assertThat(screenshot).exists();
        assertThat(Files.size(screenshot)).isGreaterThan(20_000);
    }
}
