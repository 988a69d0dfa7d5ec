package dev.embeddinggateway.batch;

/** Lines [firstLine, lastLine] of a batch, leased to one replica. */
record Chunk(String batchId, int seq, int firstLine, int lastLine, String owner) {
}
