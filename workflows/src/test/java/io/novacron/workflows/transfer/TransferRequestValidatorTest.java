package io.novacron.workflows.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.FieldError;
import org.junit.jupiter.api.Test;

class TransferRequestValidatorTest {
  @Test
  void zero_and_null_options_take_the_defaults() {
    TransferOptions o = new TransferOptions(null, 0, true, 0, 0, true);
    assertThat(o).isEqualTo(TransferOptions.defaults());
    assertThat(new TransferRequest("t", "a", "n", "b", null).options()).isEqualTo(TransferOptions.defaults());
  }

  @Test
  void a_sound_request_has_no_problems() {
    assertThat(TransferRequestValidator.validate(
        new TransferRequest("mig-42.disk0", "disks/vm.qcow2", "kvm-2", "disks/vm.qcow2",
            TransferOptions.defaults().withCodec("zstd:19").withBlockSize(4096).withStreams(16))))
        .isEmpty();
  }

  @Test
  void every_bad_field_is_named() {
    TransferRequest bad = new TransferRequest("../id", "../etc/shadow", "Node_1", "",
        new TransferOptions("gzip", 1000, true, 17, -1, true));
    assertThat(TransferRequestValidator.validate(bad)).extracting(FieldError::field).containsExactlyInAnyOrder(
        "transferId", "targetNode", "sourcePath", "targetPath", "options.codec", "options.blockSize",
        "options.streams", "options.bandwidthCapBytesPerSec");
  }

  @Test
  void codec_policies() {
    assertThat(TransferRequestValidator.isCodecPolicy("auto")).isTrue();
    assertThat(TransferRequestValidator.isCodecPolicy("zstd:1")).isTrue();
    assertThat(TransferRequestValidator.isCodecPolicy("zstd:0")).isFalse();
    assertThat(TransferRequestValidator.isCodecPolicy("zstd:20")).isFalse();
    assertThat(TransferRequestValidator.isCodecPolicy("zstd")).isFalse();
  }
}
