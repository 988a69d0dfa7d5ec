package dev.embeddinggateway.bench;

import java.util.ArrayList;
import java.util.List;

/** The benchmark's printout: each figure with what was measured, its goal, and whether the goal is met. */
final class Table {
    private final String title;
    private final List<String> rows = new ArrayList<>();

    Table(String title) {
        this.title = title;
    }

    /** A figure with a goal; {@code met} is null where the row is context only. */
    void row(String figure, String measured, String goal, Boolean met) {
        rows.add(String.format("%-64s | %-52s | %-22s | %s", figure, measured, goal,
                met == null ? "" : met ? "met" : "NOT MET"));
    }

    void context(String figure, String measured) {
        row(figure, measured, "(context)", null);
    }

    @Override
    public String toString() {
        return "\n" + title + "\n" + String.format("%-64s | %-52s | %-22s | %s", "figure", "measured", "goal", "")
                + "\n" + "-".repeat(150) + "\n" + String.join("\n", rows);
    }
}
