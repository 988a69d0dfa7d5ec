package dev.embeddinggateway.batch;

/** A batch whose next step is the batch's own (validate, cancel, finalize) rather than its lines'. */
record BatchStep(String batchId, String status, String owner, String inputFileId, String endpoint, long expiresAt) {
}
