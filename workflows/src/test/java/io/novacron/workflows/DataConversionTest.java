package io.novacron.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.provision.ProvisionVmRequest;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.DataConverterException;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DataConversionTest {

  private static Payload json(String json) {
    return Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8))
        .build();
  }

  @Test
  void clientOptionsCarryTheNamespaceAndTheConverter() {
    var options = DataConversion.clientOptions("lab");
    assertThat(options.getNamespace()).isEqualTo("lab");
    // Unknown fields are accepted only by NovaCron's converter, so this tells it apart from the default.
    Payload newer = json("{\"name\":\"web-1\",\"vcpus\":1,\"memoryMib\":128,\"diskGib\":1,\"future\":true}");
    ProvisionVmRequest read = options.getDataConverter()
        .fromPayload(newer, ProvisionVmRequest.class, ProvisionVmRequest.class);
    assertThat(read.name()).isEqualTo("web-1");
  }

  @Test
  void unknownFieldsFromANewerPeerAreIgnored() {
    DataConverter converter = DataConversion.converter();
    Payload newer = json("""
        {"vmName":"web-1","uuid":"u","state":"running","domainType":"kvm","consoleLog":null,
         "addedInVersion2":{"x":1}}""");
    DomainStatus status = converter.fromPayload(newer, DomainStatus.class, DomainStatus.class);
    assertThat(status).isEqualTo(new DomainStatus("web-1", "u", "running", "kvm", null));
    assertThat(status.isRunning()).isTrue();
  }

  @Test
  void theDefaultConverterWouldHaveRefusedThem() {
    // Guards the test above: it must be the override, not Jackson's defaults, that makes it pass.
    Payload newer = json("{\"vmName\":\"web-1\",\"addedInVersion2\":1}");
    DataConverter plain = DefaultDataConverter.newDefaultInstance();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> plain.fromPayload(newer, DomainStatus.class, DomainStatus.class))
        .isInstanceOf(DataConverterException.class);
  }

  @Test
  void recordsRoundTripWithoutDerivedProperties() {
    DataConverter converter = DataConversion.converter();
    DomainStatus status = new DomainStatus("web-1", "u", "running", "kvm", "/var/log/c.log");
    Optional<io.temporal.api.common.v1.Payloads> payloads = converter.toPayloads(status);
    String text = payloads.orElseThrow().getPayloads(0).getData().toStringUtf8();
    assertThat(text).doesNotContain("running\":true").doesNotContain("\"running\":");
    assertThat(converter.fromPayloads(0, payloads, DomainStatus.class, DomainStatus.class))
        .isEqualTo(status);
  }
}
