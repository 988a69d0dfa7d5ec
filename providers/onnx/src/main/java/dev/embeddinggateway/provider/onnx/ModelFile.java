package dev.embeddinggateway.provider.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A model file, on disk ({@link #path} set) or a classpath resource of a bundled model. */
record ModelFile(Path path, String resource) {

    static ModelFile onDisk(Path path) {
        return new ModelFile(path, null);
    }

    static ModelFile bundled(String resource) {
        return new ModelFile(null, resource);
    }

    InputStream open() throws IOException {
        if (path != null) {
            return Files.newInputStream(path);
        }
        InputStream in = ModelFile.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("bundled model file " + resource + " is not on the classpath");
        }
        return in;
    }

    byte[] readAll() {
        try (InputStream in = open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + this, e);
        }
    }

    /** What one read of the file tells: its checksum, and whether it quantizes activations at run time. */
    record Facts(String checksum, boolean dynamicallyQuantized) {
    }

    /**
     * Reads the file once. The checksum (first 16 hex digits of its SHA-256) pins the exact weights in the
     * embedding space. A {@code DynamicQuantizeLinear} node (an op name stored as plain text in the graph)
     * means activation scales are computed over the whole inference pass, so results depend on the other sequences
     * of the pass.
     */
    Facts facts() {
        byte[] marker = "DynamicQuantizeLinear".getBytes(StandardCharsets.US_ASCII);
        try (InputStream in = open()) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            byte[] tail = new byte[0];
            boolean found = false;
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
                if (!found) {
                    // Keep the previous chunk's tail so that a marker split across two reads is still seen.
                    byte[] window = new byte[tail.length + n];
                    System.arraycopy(tail, 0, window, 0, tail.length);
                    System.arraycopy(buffer, 0, window, tail.length, n);
                    found = indexOf(window, marker) >= 0;
                    tail = Arrays.copyOfRange(window, Math.max(0, window.length - marker.length + 1), window.length);
                }
            }
            return new Facts(HexFormat.of().formatHex(sha256.digest()).substring(0, 16), found);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + this, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public String toString() {
        return path != null ? path.toString() : "classpath:" + resource;
    }

}
