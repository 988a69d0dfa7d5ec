package dev.embeddinggateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.WithDefault;

/** {@code gateway.files.*}: the files kept for batch jobs (OpenAI's Files API). */
public interface FilesConfig {
    /**
     * The bytes of files one key may keep: its uploads and its batch jobs' output and error files. An upload that
     * would go over is refused; 0 for no quota.
     */
    @WithDefault("1G")
    MemorySize quotaPerKey();
}
