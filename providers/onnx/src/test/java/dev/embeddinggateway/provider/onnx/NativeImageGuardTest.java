package dev.embeddinggateway.provider.onnx;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** In a native executable the local provider stops the start with a message that points at the JVM image. */
class NativeImageGuardTest {
    private static final String IMAGE_CODE = "org.graalvm.nativeimage.imagecode";

    @Test
    void nativeExecutableIsToldToUseTheJvmImage() {
        System.setProperty(IMAGE_CODE, "runtime");
        try {
            assertThatThrownBy(() -> new OnnxProviderFactory().create("local", Map.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("provider local")
                    .hasMessageContaining("docker/Dockerfile.jvm");
        } finally {
            System.clearProperty(IMAGE_CODE);
        }
    }
}
