package dev.embeddinggateway.config;

import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code gateway.batches.*}: how this replica works on batch jobs (OpenAI's Batches API); every replica serves the API. */
public interface BatchesConfig {
    /** Whether this replica works on batch jobs at all (off: it only takes and reports them). */
    @WithDefault("true")
    boolean work();

    /** Request lines leased as one piece of work: what a replica that dies leaves for another to redo. */
    @WithDefault("100")
    int chunkLines();

    /**
     * At most this many inputs in a chunk (a line with more has a chunk of its own): what bounds a chunk's memory,
     * its results held until it is stored, since a line may have up to 2,048 inputs.
     */
    @WithDefault("2048")
    int chunkInputs();

    /** Chunks this replica works on at once. */
    @WithDefault("2")
    int concurrency();

    /** How long a lease lasts unless renewed: how soon another replica takes over the work of a dead one. */
    @WithDefault("30s")
    Duration lease();

    /** How often an idle replica looks for batch work. */
    @WithDefault("1s")
    Duration poll();
}
