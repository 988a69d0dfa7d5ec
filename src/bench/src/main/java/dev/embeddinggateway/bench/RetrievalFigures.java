package dev.embeddinggateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/**
 * The retrieval figures of input types and compact encodings, through the packaged gateway's HTTP API:
 * <ul>
 *   <li>MRR@10 of bge-small-zh-v1.5-q on {@code src/bench/corpora/zh-retrieval.tsv} (34 questions, their passages
 *   34 hand-written passages on the same topics that answer none of them, and 300 Chinese texts of the recall corpus), questions sent with and without {@code input_type=query};</li>
 *   <li>recall@10 of {@code int8} (cosine of the codes) and {@code binary} (Hamming distance of the bits) against
 *   float cosine, every text of {@code recall-1200.txt} a query against the other 1,199.</li>
 * </ul>
 * With argument {@code calibrate} it instead writes the bundled models' int8 scale (the largest absolute value in
 * {@code calibration-500.txt}'s float vectors) to {@code app/src/main/resources/int8-scales/}.
 */
public final class RetrievalFigures {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CORPORA = Path.of("src/bench/corpora");
    private static final List<String> BUNDLED = List.of("all-minilm-l6-v2", "all-minilm-l6-v2-q", "bge-small-zh-v1.5-q");
    private static final String ZH = "bge-small-zh-v1.5-q";
    private final HttpClient http = HttpClient.newHttpClient();
    /** The gateway's base URL. */
    private final String gateway;

    private RetrievalFigures(String gateway) {
        this.gateway = gateway;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("calibrate")) {
            System.out.printf("gateway.models.\"%s\".int8-max-abs=%.6f%n", args[2],
                    maxAbs(new RetrievalFigures(args[1]).embed(args[2], lines("calibration-500.txt"), null, "float")));
            return;
        }
        Map<String, String> config = new LinkedHashMap<>();
        for (int i = 0; i < BUNDLED.size(); i++) {
            config.put("gateway.providers.p" + i + ".type", "onnx");
            config.put("gateway.providers.p" + i + ".model", BUNDLED.get(i));
            config.put("gateway.models.\"" + BUNDLED.get(i) + "\".providers", "p" + i);
        }
        config.put("gateway.warm-up.requests", "0");
        try (GatewayUnderTest gateway = GatewayUnderTest.start(config)) {
            RetrievalFigures figures = new RetrievalFigures(gateway.url(""));
            if (args.length > 0 && args[0].equals("calibrate")) {
                figures.calibrate();
            } else {
                figures.report();
            }
        }
    }

    private void calibrate() throws Exception {
        List<String> texts = lines("calibration-500.txt");
        Path dir = Files.createDirectories(Path.of("app/src/main/resources/int8-scales"));
        for (String model : BUNDLED) {
            float maxAbs = maxAbs(embed(model, texts, null, "float"));
            ObjectNode file = JSON.createObjectNode().put("model", model).put("max_abs", maxAbs)
                    .put("calibration", "the largest absolute value of any dimension of the bundled model's float "
                            + "vectors of src/bench/corpora/calibration-500.txt (" + texts.size() + " texts)");
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(model + ".json").toFile(), file);
            System.out.printf("%s: max_abs %.6f from %d texts%n", model, maxAbs, texts.size());
        }
    }

    private static float maxAbs(float[][] vectors) {
        float maxAbs = 0;
        for (float[] v : vectors) {
            for (float x : v) {
                maxAbs = Math.max(maxAbs, Math.abs(x));
            }
        }
        return maxAbs;
    }

    private void report() throws Exception {
        List<String[]> pairs = lines("zh-retrieval.tsv").stream().map(l -> l.split("\t")).toList();
        List<String> recall = lines("recall-1200.txt");
        List<String> passages = new ArrayList<>(pairs.stream().map(p -> p[1]).toList());
        passages.addAll(lines("zh-distractors.txt"));
        passages.addAll(recall.stream().filter(t -> t.codePoints().anyMatch(c -> Character.UnicodeScript.of(c)
                == Character.UnicodeScript.HAN)).toList());
        List<String> questions = pairs.stream().map(p -> p[0]).toList();
        float[][] docs = embed(ZH, passages, "document", "float");
        System.out.printf("%s, %d questions against %d passages (%d distractors, 34 of them on the same topics):%n",
                ZH, questions.size(), passages.size(), passages.size() - questions.size());
        for (String inputType : new String[]{null, "query"}) {
            float[][] asked = embed(ZH, questions, inputType, "float");
            System.out.printf("  %-38s MRR@10 %.4f; mean margin of the own passage over the best other %.4f%n",
                    inputType == null ? "questions sent plainly:" : "questions sent with input_type=query:",
                    mrr(asked, docs), margin(asked, docs));
        }
        for (String model : List.of("all-minilm-l6-v2", ZH)) {
            float[][] floats = embed(model, recall, null, "float");
            float[][] int8 = embed(model, recall, null, "int8");
            float[][] binary = embed(model, recall, null, "ubinary");
            System.out.printf("recall@10 vs float cosine, %s, %d texts: int8 (cosine of the codes) %.4f, binary (Hamming) "
                    + "%.4f, binary top 100 rescored with float %.4f%n", model, recall.size(),
                    recallAt10(floats, int8, false, 10), recallAt10(floats, binary, true, 10),
                    recallAt10(floats, binary, true, 100));
        }
    }

    /** Mean reciprocal rank of each question's own passage (the one of its index), 0 past rank 10. */
    private static double mrr(float[][] questions, float[][] passages) {
        double sum = 0;
        for (int q = 0; q < questions.length; q++) {
            double own = cosine(questions[q], passages[q]);
            int rank = 1;
            for (int p = 0; p < passages.length; p++) {
                if (p != q && cosine(questions[q], passages[p]) > own) {
                    rank++;
                }
            }
            sum += rank <= 10 ? 1.0 / rank : 0;
        }
        return sum / questions.length;
    }

    /**
     * The share of each text's 10 nearest (float cosine) that the compact vectors also put in their 10 nearest; with
     * {@code candidates} above 10, their nearest that many re-ranked by float cosine, as a store that keeps both does.
     */
    private static double recallAt10(float[][] floats, float[][] compact, boolean hamming, int candidates) {
        double found = 0;
        for (int q = 0; q < floats.length; q++) {
            int query = q;
            List<Integer> truth = nearest(floats.length, query, p -> cosine(floats[query], floats[p]), 10);
            List<Integer> got = nearest(floats.length, query, p -> hamming ? -hamming(compact[query], compact[p])
                    : cosine(compact[query], compact[p]), candidates);
            if (candidates > 10) {
                got = got.stream().sorted((a, b) -> Double.compare(cosine(floats[query], floats[b]),
                        cosine(floats[query], floats[a]))).limit(10).toList();
            }
            found += got.stream().filter(truth::contains).count();
        }
        return found / (floats.length * 10.0);
    }

    /** The mean of (cosine to the own passage − the highest cosine to any other): how clearly it is found. */
    private static double margin(float[][] questions, float[][] passages) {
        double sum = 0;
        for (int q = 0; q < questions.length; q++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int p = 0; p < passages.length; p++) {
                if (p != q) {
                    best = Math.max(best, cosine(questions[q], passages[p]));
                }
            }
            sum += cosine(questions[q], passages[q]) - best;
        }
        return sum / questions.length;
    }

    private static List<Integer> nearest(int n, int query, IntToDoubleFunction similarity, int k) {
        return IntStream.range(0, n).filter(p -> p != query).boxed()
                .sorted((a, b) -> Double.compare(similarity.applyAsDouble(b), similarity.applyAsDouble(a)))
                .limit(k).toList();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** Bits that differ between two vectors of unsigned packed bytes. */
    private static int hamming(float[] a, float[] b) {
        int bits = 0;
        for (int i = 0; i < a.length; i++) {
            bits += Integer.bitCount(((int) a[i] ^ (int) b[i]) & 0xFF);
        }
        return bits;
    }

    /** The gateway's vectors (or integer codes, as floats) for {@code texts}, 64 a request. */
    private float[][] embed(String model, List<String> texts, String inputType, String encoding) throws Exception {
        List<float[]> vectors = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += 64) {
            ObjectNode body = JSON.createObjectNode().put("model", model).put("encoding_format", encoding);
            body.putPOJO("input", texts.subList(from, Math.min(texts.size(), from + 64)));
            if (inputType != null) {
                body.put("input_type", inputType);
            }
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/embeddings"))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(model + " " + encoding + ": " + response.statusCode() + " " + response.body());
            }
            for (JsonNode item : JSON.readTree(response.body()).get("data")) {
                JsonNode e = item.get("embedding");
                float[] v = new float[e.size()];
                for (int d = 0; d < v.length; d++) {
                    v[d] = e.get(d).floatValue();
                }
                vectors.add(v);
            }
        }
        return vectors.toArray(float[][]::new);
    }

    private static List<String> lines(String file) throws Exception {
        return Files.readAllLines(CORPORA.resolve(file)).stream().filter(l -> !l.isBlank()).toList();
    }
}
