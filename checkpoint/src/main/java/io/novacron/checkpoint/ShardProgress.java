package io.novacron.checkpoint;

/** Progress of a sharding run, for activity heartbeats and the benchmark. */
@FunctionalInterface
public interface ShardProgress {
  ShardProgress NONE = (done, total, tensor) -> {};

  /**
   * Called after each tensor.
   *
   * @param bytesDone checkpoint bytes read so far
   * @param bytesTotal checkpoint bytes in all
   * @param tensor the tensor just finished
   */
  void tensorDone(long bytesDone, long bytesTotal, String tensor);
}
