package dev.embeddinggateway.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official OpenAI Python SDK ({@code pip install openai}, in a virtual environment of its own under target/)
 * drives the Batches API of the packaged gateway with no configuration: src/test/python/batch_client.py uploads,
 * creates, polls, downloads, cancels and lists, and compares every batch vector with the SDK's own
 * embeddings call.
 */
@Slow
class PythonSdkIT {
    private static final Path VENV = Path.of("target", "python-sdk");
    private static GatewayProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        Path python = VENV.resolve("bin/python");
        if (!Files.isExecutable(python)) {
            int venv = run(List.of("python3", "-m", "venv", VENV.toString()));
            Assumptions.assumeTrue(venv == 0, "python3 with venv is needed for the Python SDK test");
        }
        // The machine's pip configuration says where packages come from (PyPI, or a mirror); no retries, so that an
        // index out of reach (a machine with a mirror only) costs seconds, not minutes.
        int pip = run(List.of(python.toString(), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                "--retries", "0", "--timeout", "10", "openai"));
        Assumptions.assumeTrue(pip == 0, "the openai package could not be installed with pip");
        gateway = GatewayProcess.start(Map.of("gateway.batches.poll", "250ms"));
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void thePythonSdkRunsBatchesFromUploadToOutput() throws Exception {
        Process client = new ProcessBuilder(VENV.resolve("bin/python").toString(), "src/test/python/batch_client.py",
                gateway.url("/v1")).redirectErrorStream(true).start();
        String output = new String(client.getInputStream().readAllBytes());
        assertThat(client.waitFor(5, TimeUnit.MINUTES)).isTrue();
        System.out.println(output);
        assertThat(client.exitValue()).as(output).isZero();
        assertThat(output).contains("\"completed\": 300", "\"failed_errors\": 1", "\"cancelled_lines\": 2000");
    }
}
