package io.novacron.workflows.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.novacron.workflows.DataConversion;
import io.novacron.workflows.migrate.MigrationMode;
import io.temporal.api.common.v1.Payload;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The JSON the Temporal CLI sends ({@code temporal workflow start --type DrainNode --input ...}),
 * read by NovaCron's data converter as the workflow reads it, and a plan written back.
 */
class FleetJsonTest {
  private static Payload json(String json) {
    return Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8))
        .build();
  }

  @Test
  void aDrainFromTheTemporalCliReadsItsPolicyAndModeByTheirWireNames() {
    DrainNodeRequest request = DataConversion.converter().fromPayload(
        json("{\"node\":\"lab-a\",\"policy\":\"live-then-cold\",\"parallel\":3,\"mode\":\"cold\"}"),
        DrainNodeRequest.class, DrainNodeRequest.class);

    assertThat(request).isEqualTo(new DrainNodeRequest("lab-a", DrainPolicy.LIVE_THEN_COLD, 3, null, null,
        MigrationMode.COLD));
    assertThat(request.isDryRun()).isFalse();
  }

  @Test
  void aRebalanceFromTheTemporalCliIsADryRunUnlessItSaysOtherwise() {
    RebalanceRequest plain = DataConversion.converter().fromPayload(json("{}"), RebalanceRequest.class,
        RebalanceRequest.class);
    RebalanceRequest execute = DataConversion.converter().fromPayload(json("{\"maxMoves\":3,\"dryRun\":false}"),
        RebalanceRequest.class, RebalanceRequest.class);

    assertThat(plain.isDryRun()).isTrue();
    assertThat(plain.maxMovesOrDefault()).isEqualTo(RebalanceRequest.DEFAULT_MOVES);
    assertThat(execute.isDryRun()).isFalse();
    assertThat(execute.maxMovesOrDefault()).isEqualTo(3);
  }

  @Test
  void aPlannedMoveIsWrittenWithTheWireNamesAndReadBack() {
    PlannedMove move = new PlannedMove("web-1", "lab-a", "lab-b", MigrationMode.LIVE, DrainPolicy.SKIP, "test");
    Payload payload = DataConversion.converter().toPayload(move).orElseThrow();

    assertThat(payload.getData().toStringUtf8()).contains("\"mode\":\"live\"").contains("\"policy\":\"skip\"");
    assertThat(DataConversion.converter().fromPayload(payload, PlannedMove.class, PlannedMove.class)).isEqualTo(move);
  }
}
