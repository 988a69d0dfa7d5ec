package dev.embeddinggateway.config;

/** How a model's requests are spread over its providers; each strategy still fails over to the others. */
public enum Routing { FALLBACK, ROUND_ROBIN, WEIGHTED, LEAST_BUSY, LATENCY }
