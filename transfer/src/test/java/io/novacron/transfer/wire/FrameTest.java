package io.novacron.transfer.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.transfer.Hashes;
import io.novacron.transfer.TransferError;
import io.novacron.transfer.TransferException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameTest {
  @Test
  void every_frame_reads_back_as_written() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FrameWriter w = new FrameWriter(bytes);
    byte[] raw = "block contents".getBytes();
    w.hello("t-1", 3);
    w.challenge(new byte[Wire.NONCE]);
    w.auth(new Frame.Auth(new byte[Wire.MAC], 7, 1000, 4096, 99, 2, true));
    w.accept(List.of(new BlockRange(0, 5), new BlockRange(9, 1)), 12);
    w.data(42, 0, raw, raw.length, raw, raw.length);
    w.zeroRun(5, 4);
    w.copyRun(10, 2, 3);
    w.ack(List.of(new BlockRange(1, 2)));
    w.error(TransferError.BAD_TOKEN.code(), "no");
    w.flush();

    FrameReader r = new FrameReader(new ByteArrayInputStream(bytes.toByteArray()), 1024);
    assertThat(r.read()).isEqualTo(new Frame.Hello("t-1", 3));
    assertThat(r.read()).isInstanceOf(Frame.Challenge.class);
    Frame.Auth auth = (Frame.Auth) r.read();
    assertThat(List.of(auth.attempt(), auth.sourceSize(), auth.fingerprint())).containsExactly(7L, 1000L, 99L);
    assertThat(auth.wantBase()).isTrue();
    assertThat(r.read()).isEqualTo(new Frame.Accept(List.of(new BlockRange(0, 5), new BlockRange(9, 1)), 12));
    Frame.Data d = (Frame.Data) r.read();
    assertThat(d.block()).isEqualTo(42);
    assertThat(Arrays.copyOfRange(d.payload(), d.offset(), d.offset() + d.length())).isEqualTo(raw);
    assertThat(Hashes.xxh64(raw, 0, raw.length, d.headerSeed())).isEqualTo(d.check());
    assertThat(r.read()).isEqualTo(new Frame.ZeroRun(5, 4));
    assertThat(r.read()).isEqualTo(new Frame.CopyRun(10, 2, 3));
    assertThat(r.read()).isEqualTo(new Frame.Ack(List.of(new BlockRange(1, 2))));
    assertThat(r.read()).isEqualTo(new Frame.Error(TransferError.BAD_TOKEN.code(), "no"));
    assertThat(r.read()).isNull();
  }

  @Test
  void a_flipped_bit_in_a_data_frame_fails_its_check() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] raw = new byte[1000];
    Arrays.fill(raw, (byte) 7);
    new FrameWriter(bytes).data(3, 0, raw, raw.length, raw, raw.length);
    byte[] wire = bytes.toByteArray();
    for (int at : new int[] {Wire.ENVELOPE_HEAD + 3, Wire.ENVELOPE_HEAD + Wire.DATA_HEADER + 500}) {
      byte[] bad = wire.clone();
      bad[at] ^= 1;
      Frame.Data d = (Frame.Data) new FrameReader(new ByteArrayInputStream(bad), 4096).read();
      byte[] payload = Arrays.copyOfRange(d.payload(), d.offset(), d.offset() + d.length());
      // What the receiver does: hash what it got, seeded with the header it read.
      assertThat(Hashes.xxh64(payload, 0, payload.length, d.headerSeed())).as("flip at " + at).isNotEqualTo(d.check());
    }
  }

  @Test
  void a_flipped_bit_in_a_control_frame_or_a_cut_frame_is_refused() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new FrameWriter(bytes).zeroRun(5, 4);
    byte[] wire = bytes.toByteArray();
    byte[] flipped = wire.clone();
    flipped[Wire.ENVELOPE_HEAD + 2] ^= 4;
    assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(flipped), 16).read())
        .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.error()).isEqualTo(TransferError.CORRUPT));
    byte[] cut = Arrays.copyOf(wire, wire.length - 3);
    assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(cut), 16).read())
        .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.error()).isEqualTo(TransferError.PROTOCOL));
  }
}
