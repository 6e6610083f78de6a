package io.novacron.checkpoint;

/**
 * Totals over a group of tensors: one decoder layer, or what lies outside the layers.
 *
 * @param layer the decoder layer, or -1 for the tensors outside the layers (embeddings, final
 *     norm, {@code lm_head})
 * @param tensors how many tensors
 * @param parameters elements stored (packed formats count their containers)
 * @param bytes bytes of data
 */
public record TensorGroupStats(int layer, int tensors, long parameters, long bytes) {
  TensorGroupStats plus(TensorEntry t) {
    return new TensorGroupStats(layer, tensors + 1, parameters + t.elementCount(), bytes + t.byteLength());
  }
}
