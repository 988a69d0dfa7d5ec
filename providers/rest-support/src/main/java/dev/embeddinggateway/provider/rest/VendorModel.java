package dev.embeddinggateway.provider.rest;

import java.math.BigDecimal;
import java.util.List;
import java.util.OptionalInt;

/**
 * One model a cloud vendor serves, as its public documentation lists it.
 *
 * @param dimensions     the native (largest) vector size
 * @param sizes          the sizes the vendor itself returns, ascending, the native one last; with {@code anySize}, the
 *                       smallest and the native one bound a range it returns any size of
 * @param maxInputTokens the most tokens one input may have
 * @param pricePerMillionTokens the vendor's list price, USD
 */
public record VendorModel(String id, int dimensions, List<Integer> sizes, boolean anySize, int maxInputTokens,
                          BigDecimal pricePerMillionTokens) {

    public VendorModel {
        sizes = List.copyOf(sizes);
        if (sizes.isEmpty() || sizes.get(sizes.size() - 1) != dimensions) {
            throw new IllegalArgumentException(id + ": the native size must be the last of its sizes");
        }
    }

    /** A model of one size only. */
    public static VendorModel fixed(String id, int dimensions, int maxInputTokens, String price) {
        return new VendorModel(id, dimensions, List.of(dimensions), false, maxInputTokens, new BigDecimal(price));
    }

    /** Smaller {@code dimensions} keep their meaning (Matryoshka): the vendor's own sizes, or cut from the next larger. */
    public boolean matryoshka() {
        return sizes.size() > 1 || anySize;
    }

    /**
     * The size to ask the vendor for when {@code wanted} dimensions are wanted: none for the native size, the size
     * itself where the vendor makes it, else the next larger it makes (the gateway cuts and renormalizes).
     */
    public OptionalInt sizeToAsk(int wanted) {
        if (wanted >= dimensions) {
            return OptionalInt.empty();
        }
        if (anySize && wanted >= sizes.get(0)) {
            return OptionalInt.of(wanted);
        }
        return sizes.stream().mapToInt(Integer::intValue).filter(s -> s >= wanted).findFirst();
    }
}
