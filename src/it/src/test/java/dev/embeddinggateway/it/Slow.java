package dev.embeddinggateway.it;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An end-to-end test that {@code mvn -B verify -Pfast} leaves out: load, bulk, full-size fuzz, several replicas,
 * a browser, an SDK installed from a registry, a Redis or PostgreSQL of the test's own stopped mid-test, or
 * a minute and more of its own. {@code .ci/run} runs it.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("slow")
@interface Slow {
}
