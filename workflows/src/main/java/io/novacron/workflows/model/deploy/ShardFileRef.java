package io.novacron.workflows.model.deploy;

/**
 * One file of a shard set, as the source node wrote it.
 *
 * @param file file name inside the set's directory
 * @param rank the rank whose weights it holds; -1 for files every node needs (the manifest, the
 *     model config)
 * @param bytes size
 * @param sha256 SHA-256 (hex) of the whole file
 */
public record ShardFileRef(String file, int rank, long bytes, String sha256) {
  public static final int EVERY_RANK = -1;
}
