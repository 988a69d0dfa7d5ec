package dev.embeddinggateway.batch;

/** A request line's result: its line in the output file ({@code ok}) or in the error file. */
record LineResult(int lineNo, byte[] json, boolean ok) {
}
