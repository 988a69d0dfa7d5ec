package dev.embeddinggateway.provider.onnx;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.embeddinggateway.core.BadInputException;

/**
 * Turns OpenAI token-id input (cl100k_base ids) back into text, so that clients that pre-tokenize
 * (LangChain's OpenAIEmbeddings does) work against local models with their own tokenizers.
 */
final class Cl100kDecoder {
    private static final Encoding CL100K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private Cl100kDecoder() {
    }

    static String decode(int[] ids, int inputIndex) {
        IntArrayList list = new IntArrayList(ids.length);
        for (int id : ids) {
            list.add(id);
        }
        try {
            return CL100K.decode(list);
        } catch (RuntimeException e) {
            throw new BadInputException("Input " + inputIndex
                    + " holds a token id that is not a cl100k_base token.", "input", null);
        }
    }
}
