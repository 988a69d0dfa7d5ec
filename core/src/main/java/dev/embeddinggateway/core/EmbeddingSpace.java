package dev.embeddinggateway.core;

/**
 * The identity of the vector space a model produces. Two providers may stand in for each other only when
 * their spaces are equal: vectors from different spaces must never be mixed in one index.
 *
 * @param model      the model's name
 * @param revision   what pins the exact weights (a checksum of the file, or an upstream version)
 * @param dimensions native vector size
 * @param pooling    how token vectors become one vector (mean, cls, or what the upstream does)
 * @param normalized whether vectors are L2-normalized
 */
public record EmbeddingSpace(String model, String revision, int dimensions, String pooling, boolean normalized) {
    private static final String REMOTE = "remote";

    /**
     * A model served by an upstream server: known by its name and size only, so every server of that model
     * and size (OpenAI-compatible, TEI, Ollama) stands in for the others.
     */
    public static EmbeddingSpace remote(String model, int dimensions) {
        return new EmbeddingSpace(model, REMOTE, dimensions, REMOTE, true);
    }

    /** Whether an upstream server computes these vectors, rather than this process from pinned weights. */
    public boolean isRemote() {
        return REMOTE.equals(revision);
    }

    @Override
    public String toString() {
        return model + "@" + revision + " (" + dimensions + " dims, " + pooling + " pooling"
                + (normalized ? ", normalized" : "") + ")";
    }
}
