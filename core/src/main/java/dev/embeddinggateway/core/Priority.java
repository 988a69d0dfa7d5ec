package dev.embeddinggateway.core;

/** Whose work a request is: a provider with a queue of its own serves {@link #INTERACTIVE} work first. */
public enum Priority {
    /** A client waiting on its answer. */
    INTERACTIVE,
    /** A batch job: served with what interactive work leaves free. */
    BATCH
}
