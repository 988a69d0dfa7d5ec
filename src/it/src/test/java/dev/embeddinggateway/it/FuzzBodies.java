package dev.embeddinggateway.it;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Request bodies for the fuzz test from a seeded random source, so that a seed replays a run exactly: OpenAI-shaped
 * requests whose every field may have any type or an odd value, random JSON, deep nesting, huge and malformed
 * numbers, odd Unicode (lone surrogates, RTL marks, BOM, combining marks, emoji), raw garbage, invalid UTF-8
 * inside strings, truncated JSON. Edge values (empty, zero, the int range's ends) come up often on purpose.
 */
final class FuzzBodies {
    private static final List<String> MODELS = List.of("\"all-minilm-l6-v2\"", "\"bge-small-zh-v1.5-q\"",
            "\"all-minilm-l6-v2-q\"", "\"text-embedding-3-small\"");
    private static final List<String> ODD_NUMBERS = List.of("1e400", "-1e400", "99999999999999999999999999999999", "-0",
            "0.5", "1E+2", "-2147483649", "9223372036854775808", "NaN", "Infinity", "01", "1.", ".5", "0x10");
    private static final List<String> ODD_PIECES = List.of("\\ud800", "\\udfff", "\\udbff\\udc00", "\\u0000", "\\\"",
            "\\\\", "\\n", "😀", "‮", "﻿", "治疗感冒的药", "\\uZZZZ", "\\", "\u0001", "e\u0301", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢");
    private static final List<String> LEAVES = List.of("null", "true", "false", "{}", "[]", "\"\"");

    private final Random random;

    FuzzBodies(long seed) {
        this.random = new Random(seed);
    }

    /** The next body: OpenAI-shaped 4 times in 8, random JSON twice, deep nesting once, broken bytes once. */
    byte[] next() {
        int kind = random.nextInt(8);
        if (kind < 4) {
            return bytes(openAiShaped());
        }
        if (kind < 6) {
            return bytes(json(3));
        }
        return kind == 6 ? bytes(deepNesting()) : brokenBytes();
    }

    /** A request object whose every field may have any type or an odd value. */
    private String openAiShaped() {
        String input = oneOf(this::oddString, () -> json(2), this::tokenIds, () -> list(5, this::oddString, "[", "]"));
        int present = random.nextInt(32);
        StringBuilder out = new StringBuilder("{\"input\":").append(input);
        if ((present & 1) != 0) {
            out.append(",\"model\":").append(oneOf(() -> pick(MODELS), this::oddString, () -> json(1)));
        }
        if ((present & 2) != 0) {
            out.append(",\"encoding_format\":").append(oneOf(() -> pick(List.of("\"float\"", "\"base64\"")), this::oddString,
                    () -> json(1)));
        }
        String dimensions = oneOf(this::number, () -> json(1));
        if ((present & 4) != 0) {
            out.append(",\"dimensions\":").append(dimensions);
        }
        if ((present & 8) != 0) {
            out.append(",\"user\":").append(oddString());
        }
        if ((present & 16) != 0) {
            out.append(",\"\\u0000input\":").append(dimensions);
        }
        return out.append('}').toString();
    }

    private String json(int depth) {
        Supplier<String> leaf = () -> oneOf(() -> pick(LEAVES), this::number, this::oddString);
        if (depth == 0) {
            return leaf.get();
        }
        return oneOf(leaf, () -> list(4, () -> json(depth - 1), "[", "]"),
                () -> list(4, () -> oddString() + ":" + json(depth - 1), "{", "}"));
    }

    private String number() {
        return random.nextBoolean() ? Integer.toString(integer()) : pick(ODD_NUMBERS);
    }

    private String tokenIds() {
        Supplier<String> id = random.nextBoolean() ? () -> Integer.toString(random.nextInt(200_006) - 5)
                : () -> Integer.toString(integer());
        return list(8, id, "[", "]");
    }

    /** A JSON string (quoted) of odd characters: controls, escapes, lone surrogates, emoji, RTL, CJK. */
    private String oddString() {
        return join(6, () -> oneOf(this::anyChars, () -> pick(ODD_PIECES)), "\"", "", "\"");
    }

    /** Up to 12 UTF-16 units of any value (lone surrogates included), quote and backslash escaped. */
    private String anyChars() {
        char[] chars = new char[random.nextInt(13)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) random.nextInt(Character.MAX_VALUE + 1);
        }
        return new String(chars).replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private String deepNesting() {
        int depth = 1 + random.nextInt(20_000);
        boolean arrays = random.nextBoolean();
        return "{\"input\":" + (arrays ? "[" : "{\"input\":").repeat(depth) + "\"x\"" + (arrays ? "]" : "}").repeat(depth) + "}";
    }

    private byte[] brokenBytes() {
        return switch (random.nextInt(3)) {
            case 0 -> randomBytes(random.nextInt(65));
            case 1 -> concat(bytes("{\"input\":\""), randomBytes(1 + random.nextInt(8)), bytes("\"}"));
            default -> {
                String whole = openAiShaped();
                yield bytes(whole.substring(0, random.nextInt(whole.length() + 1)));
            }
        };
    }

    /** An int, one time in four an edge of the range. */
    private int integer() {
        return random.nextInt(4) == 0 ? pick(List.of(0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE)) : random.nextInt();
    }

    /** A JSON array or object of up to {@code maxSize} items. */
    private String list(int maxSize, Supplier<String> item, String open, String close) {
        return join(maxSize, item, open, ",", close);
    }

    private String join(int maxSize, Supplier<String> item, String open, String separator, String close) {
        StringBuilder out = new StringBuilder(open);
        int size = random.nextInt(maxSize + 1);
        for (int i = 0; i < size; i++) {
            out.append(i == 0 ? "" : separator).append(item.get());
        }
        return out.append(close).toString();
    }

    @SafeVarargs
    private String oneOf(Supplier<String>... choices) {
        return choices[random.nextInt(choices.length)].get();
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private byte[] randomBytes(int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
