package io.novacron.workflows.model;

/**
 * Memory one GPU needs, in bytes.
 *
 * @param weightsBytes this rank's slice of the weights
 * @param kvCacheBytes KV cache for the batch target at full context, for this rank's layers and KV
 *     heads
 * @param runtimeBytes headroom for the CUDA context, communication and GEMM workspaces, CUDA graphs,
 *     activations of one prefill chunk and the logits
 */
public record MemoryEstimate(long weightsBytes, long kvCacheBytes, long runtimeBytes) {
  public static final double GIB = 1024.0 * 1024 * 1024;

  public long totalBytes() {
    return weightsBytes + kvCacheBytes + runtimeBytes;
  }

  public double weightsGib() {
    return weightsBytes / GIB;
  }

  public double kvCacheGib() {
    return kvCacheBytes / GIB;
  }

  public double runtimeGib() {
    return runtimeBytes / GIB;
  }

  public double totalGib() {
    return totalBytes() / GIB;
  }
}
