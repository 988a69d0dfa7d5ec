package dev.embeddinggateway.core;

import dev.embeddinggateway.core.support.Cl100k;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/** One input of an embeddings request: a text, or token ids (cl100k_base, as OpenAI defines them). */
public sealed interface Input {

    /**
     * What a model with its own tokenizer embeds: the text, or the text of the token ids.
     *
     * @param index the input's place in its request, named when its ids are no cl100k_base tokens
     */
    default String text(int index) {
        return this instanceof TokenIds ids ? Cl100k.decode(ids.ids(), index) : ((Text) this).text();
    }

    /** Every input's {@link #text(int)}, in order. */
    static List<String> texts(List<Input> inputs) {
        return IntStream.range(0, inputs.size()).mapToObj(i -> inputs.get(i).text(i)).toList();
    }

    record Text(String text) implements Input {
    }

    record TokenIds(int[] ids) implements Input {
        @Override
        public boolean equals(Object o) {
            return o instanceof TokenIds other && Arrays.equals(ids, other.ids);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ids);
        }

        @Override
        public String toString() {
            return "TokenIds[" + ids.length + " ids]";
        }
    }
}
