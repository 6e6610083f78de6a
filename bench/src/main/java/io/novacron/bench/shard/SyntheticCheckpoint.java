package io.novacron.bench.shard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a Llama-shaped BF16 checkpoint of any size with pseudo-random weights, streamed through a
 * small buffer: {@code config.json}, several safetensors files and their index, named as Hugging
 * Face names them. For benchmarks and demonstrations; the weights mean nothing.
 *
 * @param layers decoder layers
 * @param hidden model width
 * @param heads attention heads
 * @param kvHeads KV heads
 * @param ffn MLP width
 * @param vocab vocabulary
 * @param files safetensors files to spread the layers over
 */
public record SyntheticCheckpoint(int layers, int hidden, int heads, int kvHeads, int ffn, int vocab,
    int files) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BUFFER_BYTES = 4 << 20;

  private record Tensor(String name, long[] shape) {
    long bytes() {
      return Arrays.stream(shape).reduce(1, Math::multiplyExact) * 2;
    }
  }

  /** Bytes of tensor data the checkpoint holds. */
  public long dataBytes() {
    long h = hidden;
    long headDim = hidden / heads;
    long perLayer = 2 * h + 2L * heads * headDim * h + 2L * kvHeads * headDim * h + 3L * ffn * h;
    return 2 * (2L * vocab * h + h + layers * perLayer);
  }

  /** Writes the checkpoint into {@code dir}. */
  public Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    ObjectNode config = JSON.createObjectNode();
    config.putArray("architectures").add("LlamaForCausalLM");
    config.put("model_type", "llama").put("hidden_size", hidden).put("intermediate_size", ffn)
        .put("num_hidden_layers", layers).put("num_attention_heads", heads)
        .put("num_key_value_heads", kvHeads).put("vocab_size", vocab)
        .put("tie_word_embeddings", false).put("torch_dtype", "bfloat16");
    Files.writeString(dir.resolve("config.json"), config.toPrettyString());

    List<List<Tensor>> perFile = new ArrayList<>();
    for (int f = 0; f < files; f++) {
      perFile.add(new ArrayList<>());
    }
    int headDim = hidden / heads;
    perFile.get(0).add(new Tensor("model.embed_tokens.weight", new long[] {vocab, hidden}));
    for (int layer = 0; layer < layers; layer++) {
      List<Tensor> out = perFile.get(layer * files / layers);
      String p = "model.layers." + layer + ".";
      out.add(new Tensor(p + "input_layernorm.weight", new long[] {hidden}));
      out.add(new Tensor(p + "self_attn.q_proj.weight", new long[] {(long) heads * headDim, hidden}));
      out.add(new Tensor(p + "self_attn.k_proj.weight", new long[] {(long) kvHeads * headDim, hidden}));
      out.add(new Tensor(p + "self_attn.v_proj.weight", new long[] {(long) kvHeads * headDim, hidden}));
      out.add(new Tensor(p + "self_attn.o_proj.weight", new long[] {hidden, (long) heads * headDim}));
      out.add(new Tensor(p + "post_attention_layernorm.weight", new long[] {hidden}));
      out.add(new Tensor(p + "mlp.gate_proj.weight", new long[] {ffn, hidden}));
      out.add(new Tensor(p + "mlp.up_proj.weight", new long[] {ffn, hidden}));
      out.add(new Tensor(p + "mlp.down_proj.weight", new long[] {hidden, ffn}));
    }
    perFile.get(files - 1).add(new Tensor("model.norm.weight", new long[] {hidden}));
    perFile.get(files - 1).add(new Tensor("lm_head.weight", new long[] {vocab, hidden}));

    Map<String, String> weightMap = new LinkedHashMap<>();
    long seed = 0x9E3779B97F4A7C15L;
    for (int f = 0; f < files; f++) {
      String name = String.format("model-%05d-of-%05d.safetensors", f + 1, files);
      seed = writeFile(dir.resolve(name), perFile.get(f), seed);
      perFile.get(f).forEach(t -> weightMap.put(t.name(), name));
    }
    ObjectNode index = JSON.createObjectNode();
    index.putObject("metadata").put("total_size", dataBytes());
    ObjectNode map = index.putObject("weight_map");
    weightMap.forEach(map::put);
    Files.writeString(dir.resolve("model.safetensors.index.json"), index.toPrettyString());
    return dir;
  }

  /** Writes one file; returns the generator state so that files differ. */
  private static long writeFile(Path file, List<Tensor> tensors, long seed) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (Tensor t : tensors) {
      ObjectNode node = header.putObject(t.name());
      node.put("dtype", "BF16");
      Arrays.stream(t.shape()).forEach(node.putArray("shape")::add);
      node.putArray("data_offsets").add(offset).add(offset + t.bytes());
      offset += t.bytes();
    }
    byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) {
      head.put((byte) ' ');
    }
    head.flip();
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    long state = seed;
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      while (head.hasRemaining()) {
        out.write(head);
      }
      long remaining = offset;
      while (remaining > 0) {
        buffer.clear();
        int n = (int) Math.min(remaining, buffer.capacity());
        // xorshift64: fast, and no two 8-byte words repeat within a file, so a misplaced byte shows.
        for (int i = 0; i + 8 <= n; i += 8) {
          state ^= state << 13;
          state ^= state >>> 7;
          state ^= state << 17;
          buffer.putLong(state);
        }
        while (buffer.position() < n) {
          buffer.put((byte) state);
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        remaining -= n;
      }
      // On disk before any measurement starts, so that its write-back does not slow the runs.
      out.force(true);
    }
    return state;
  }
}
