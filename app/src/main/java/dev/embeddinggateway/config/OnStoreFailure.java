package dev.embeddinggateway.config;

/** What to do with a request when Redis cannot count it. */
public enum OnStoreFailure { ALLOW, DENY }
