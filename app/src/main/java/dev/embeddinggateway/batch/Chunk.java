package dev.embeddinggateway.batch;

/**
 * Lines [firstLine, lastLine] of a batch, leased to one replica.
 *
 * @param owner     the key (or signed-in person, {@code oidc:<subject>}) that created the batch
 * @param ownerTeam the team the owner had when it created the batch, as its token gave it
 */
record Chunk(String batchId, int seq, int firstLine, int lastLine, String owner, String ownerTeam) {
}
