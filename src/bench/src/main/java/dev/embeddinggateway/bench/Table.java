package dev.embeddinggateway.bench;

import java.util.ArrayList;
import java.util.List;

/** The benchmark's printout: each measure beside its reference, with the ratio and the target. */
final class Table {
    private final List<String> lines = new ArrayList<>();

    void row(String measure, double gateway, double reference, String referenceName, String target) {
        lines.add(String.format("%-58s gateway %8.1f | %-15s %8.1f | ratio %5.2f (target %s)",
                measure, gateway, referenceName, reference, gateway / reference, target));
    }

    void line(String text) {
        lines.add(text);
    }

    @Override
    public String toString() {
        return "\nEmbedding Gateway benchmark (" + Runtime.getRuntime().availableProcessors() + " cores)\n"
                + String.join("\n", lines);
    }
}
