package dev.embeddinggateway.batch;

import dev.embeddinggateway.usage.UsageRow;

import java.util.Optional;

/**
 * A request line's result: its line in the output file ({@code ok}) or in the error file, and what it is billed
 * (stored with it, so that only a stored result is billed).
 */
record LineResult(int lineNo, byte[] json, boolean ok, Optional<UsageRow> usage) {
}
