package io.novacron.transfer.codec;

/** Always the same codec; chunks that do not shrink still go raw (see {@link ChunkCompressor}). */
public final class FixedCodecSelector implements CodecSelector {
  private final CodecChoice choice;

  public FixedCodecSelector(CodecChoice choice) {
    this.choice = choice;
  }

  @Override
  public CodecChoice next(int stream) {
    return choice;
  }

  @Override
  public CodecChoice current() {
    return choice;
  }
}
