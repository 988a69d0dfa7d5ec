package dev.embeddinggateway.usage;

import dev.embeddinggateway.core.Priority;

import java.util.Optional;

/** Whose work a request is: a client waiting on its answer, or a line of a batch job. */
public sealed interface Work {
    /** A client waiting on its answer ({@code POST /v1/embeddings}). */
    Work INTERACTIVE = new Interactive();

    /** A line of batch job {@code batchId}: served after interactive work, and tagged with the batch in the ledger. */
    static Work batchLine(String batchId) {
        return new BatchLine(batchId);
    }

    /** Where a provider with a queue of its own serves it. */
    Priority priority();

    /** The batch job it is part of; empty for interactive work. */
    Optional<String> batchId();

    record Interactive() implements Work {
        @Override
        public Priority priority() {
            return Priority.INTERACTIVE;
        }

        @Override
        public Optional<String> batchId() {
            return Optional.empty();
        }
    }

    record BatchLine(String id) implements Work {
        @Override
        public Priority priority() {
            return Priority.BATCH;
        }

        @Override
        public Optional<String> batchId() {
            return Optional.of(id);
        }
    }
}
