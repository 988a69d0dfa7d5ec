package dev.embeddinggateway.http;

/**
 * A value from a client or a token as a log line may hold it: control characters (CR, LF, the C1 range, Unicode's
 * line and paragraph separators) are written as escapes, so no value can end a log line and forge the next one.
 * Backslashes are doubled, so an escape in the log always means the character, never the client's text.
 */
public final class LogText {
    private LogText() {
    }

    /** {@code value} escaped; {@code null} as {@code null}. */
    public static String escaped(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString();
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escape = escape(c);
            if (escape != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (escape != null) {
                    out.append(escape);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static String escape(char c) {
        return switch (c) {
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? String.format("\\u%04x", (int) c) : null;
        };
    }
}
