package dev.embeddinggateway.http;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Vectors are written as JSON numbers with Jackson's Schubfach writer: the shortest decimal that reads back as
 * the same float, as the JDK's own writer gives from Java 19 on. Profiled on Java 17, the JDK's older writer was
 * the largest cost of a cached request (a third of its CPU for 384 floats).
 */
@Singleton
public class FastFloatWriting implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER.mappedFeature());
    }
}
