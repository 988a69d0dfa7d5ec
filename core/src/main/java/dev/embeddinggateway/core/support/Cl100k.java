package dev.embeddinggateway.core.support;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.embeddinggateway.core.BadInputException;
import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.ModelInfo;
import dev.embeddinggateway.core.TokenizedText;
import dev.embeddinggateway.core.Tokens;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * OpenAI's cl100k_base tokenizer: what OpenAI's embedding models count and bill, and what token-id input
 * means (OpenAI's API defines it so; LangChain's OpenAIEmbeddings sends such ids by default).
 */
public final class Cl100k {
    /** {@link ModelInfo#tokenizer()} of models whose tokens are cl100k_base (or estimated with it). */
    public static final String ID = "cl100k_base";
    private static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private Cl100k() {
    }

    public static int[] encode(String text) {
        return ENCODING.encodeOrdinary(text).toArray();
    }

    /** The input's cl100k_base tokens: what OpenAI bills, and an estimate for other tokenizers. Ids are taken as sent. */
    public static Tokens tokens(Input input) {
        return new Tokens(input instanceof Input.TokenIds ids ? ids.ids() : encode(((Input.Text) input).text()));
    }

    /** {@link EmbeddingProvider#tokenize} for providers that count with cl100k_base: quick, so on the caller's thread. */
    public static CompletionStage<List<Tokens>> tokenize(List<Input> inputs) {
        return CompletableFuture.completedFuture(inputs.stream().map(Cl100k::tokens).toList());
    }

    /**
     * {@link EmbeddingProvider#tokenizeForClient} with cl100k_base: each token's characters found from its bytes.
     *
     * @param estimated true where cl100k_base only estimates the model's own tokenizer
     */
    public static CompletionStage<List<TokenizedText>> tokenizeForClient(List<Input> inputs, boolean estimated) {
        List<TokenizedText> texts = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Tokens tokens = tokens(inputs.get(i));
            int[][] byteSpans = new int[tokens.count()][];
            int at = 0;
            for (int t = 0; t < byteSpans.length; t++) {
                IntArrayList one = new IntArrayList(1);
                one.add(tokens.ids()[t]);
                int length = ENCODING.decodeBytes(one).length;
                byteSpans[t] = new int[]{at, at + length};
                at += length;
            }
            texts.add(new TokenizedText(tokens, TokenizedText.codePointSpans(inputs.get(i).text(i), byteSpans), estimated));
        }
        return CompletableFuture.completedFuture(texts);
    }

    /**
     * The text of token ids.
     *
     * @throws BadInputException naming input {@code inputIndex} when an id is no cl100k_base token
     */
    public static String decode(int[] ids, int inputIndex) {
        IntArrayList list = new IntArrayList(ids.length);
        for (int id : ids) {
            list.add(id);
        }
        try {
            return ENCODING.decode(list);
        } catch (RuntimeException e) {
            throw new BadInputException("Input " + inputIndex + " holds a token id that is not a cl100k_base token.",
                    "input", null);
        }
    }
}
