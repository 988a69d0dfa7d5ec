package dev.embeddinggateway.batch;

/** A request line of a batch's input file, as uploaded. */
record RequestLine(int lineNo, String customId, byte[] body) {
}
