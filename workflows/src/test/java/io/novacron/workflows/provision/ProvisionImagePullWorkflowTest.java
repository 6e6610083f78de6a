package io.novacron.workflows.provision;

import static io.novacron.workflows.provision.ProvisionHarness.NODE;
import static io.novacron.workflows.provision.ProvisionHarness.PEER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.image.ImageSource;
import io.novacron.workflows.transfer.CloseReceiveRequest;
import io.novacron.workflows.transfer.ReceiveEndpoint;
import io.novacron.workflows.transfer.ReceiveOutcome;
import io.novacron.workflows.transfer.TransferRequest;
import io.novacron.workflows.transfer.TransferResult;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/** ProvisionVm on a node that lacks the VM's registered image: it pulls it, verified, first. */
class ProvisionImagePullWorkflowTest {
  private static final String ID = "vm-deb-1";
  private static final String SHA = "a".repeat(64);
  private static final ProvisionVmRequest REQUEST = new ProvisionVmRequest("deb-1", 1, 512, 4, "debian-12", null);

  private ProvisionHarness h;

  @BeforeEach
  void setUp() {
    h = new ProvisionHarness().stubHappyPath();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private void placeWithImageFrom(ImageSource source) {
    when(h.placement.reserve(anyString(), any()))
        .thenAnswer(inv -> new Placement(inv.getArgument(0), NODE, "QEMU", source));
  }

  private static ImageSource peer() {
    return new ImageSource(ImageSource.Kind.PEER, "debian-12", "qcow2", SHA, 0, PEER, null, null, null, null);
  }

  /** The receiver opens, the peer sends bytes hashing to {@code sentSha}, the receiver commits. */
  private void transferSends(String sentSha) {
    when(h.transfers.openReceive(any())).thenAnswer(inv -> {
      TransferRequest r = inv.getArgument(0);
      return new ReceiveEndpoint(r.transferId(), "127.0.0.1", 7950, "t", Long.MAX_VALUE, 65536, 0, 0, null, 0);
    });
    when(h.peerTransfers.send(any(), any())).thenAnswer(inv -> {
      TransferRequest r = inv.getArgument(0);
      return new TransferResult(r.transferId(), 1 << 20, 1 << 19, 16, 16, 0, 0, 0, 2.0, 0.1, sentSha, 1, Map.of());
    });
    when(h.transfers.closeReceive(any())).thenAnswer(inv -> {
      CloseReceiveRequest c = inv.getArgument(0);
      return new ReceiveOutcome(c.transferId(), c.commit() ? ReceiveOutcome.State.COMMITTED : ReceiveOutcome.State.ABORTED,
          "images/debian-12/disk.qcow2", c.expectedSize(), c.expectedSha256());
    });
  }

  @Test
  void aNodeWithoutTheImagePullsItFromAPeerVerifiedByItsDigestBeforeTheDiskIsMade() {
    placeWithImageFrom(peer());
    transferSends(SHA);

    h.provision(ID, REQUEST);

    ArgumentCaptor<TransferRequest> sent = ArgumentCaptor.forClass(TransferRequest.class);
    verify(h.peerTransfers).send(sent.capture(), any());
    assertThat(sent.getValue().sourcePath()).isEqualTo("images/debian-12/disk.qcow2");
    assertThat(sent.getValue().targetPath()).isEqualTo("images/debian-12/disk.qcow2");
    assertThat(sent.getValue().targetNode()).isEqualTo(NODE);
    InOrder order = inOrder(h.transfers, h.host);
    order.verify(h.transfers).closeReceive(
        org.mockito.ArgumentMatchers.argThat(c -> c.commit() && SHA.equals(c.expectedSha256())));
    order.verify(h.host).createDisk(any());
    assertThat(h.phases()).containsSubsequence("place", "pull-image", "prepare-storage", "define");
    verifyNoInteractions(h.images, h.peerImages);
  }

  @Test
  void aNodeThatNoPeerCanServeDownloadsTheImageItselfBeforeTheDiskIsMade() {
    ImageSource url = new ImageSource(ImageSource.Kind.URL, "debian-12", "qcow2", SHA, 0, null,
        "https://images.example.org/debian-12.qcow2", null, List.of("images.example.org"), null);
    placeWithImageFrom(url);

    h.provision(ID, REQUEST);

    InOrder order = inOrder(h.images, h.host);
    order.verify(h.images).download(url);
    order.verify(h.host).createDisk(any());
    verifyNoInteractions(h.transfers, h.peerTransfers);
  }

  @Test
  void aPeerCopyWithAnotherDigestFailsTheRunAndNothingLandsOrIsRecorded() {
    placeWithImageFrom(peer());
    transferSends("b".repeat(64));

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class, () -> h.provision(ID, REQUEST));

    Throwable root = failed.getCause();
    while (root.getCause() != null) {
      root = root.getCause();
    }
    assertThat(root).isInstanceOf(ApplicationFailure.class);
    assertThat(((ApplicationFailure) root).getType()).isEqualTo(FailureTypes.IMAGE_VERIFY_FAILED);
    assertThat(((ApplicationFailure) root).isNonRetryable()).isTrue();
    assertThat(root.getMessage()).contains("does not match its registered SHA-256 " + SHA);
    // The receive is aborted (its partial file deleted), never committed.
    verify(h.transfers, never()).closeReceive(org.mockito.ArgumentMatchers.argThat(CloseReceiveRequest::commit));
    verify(h.transfers).closeReceive(org.mockito.ArgumentMatchers.argThat(c -> !c.commit()));
    verify(h.host, never()).createDisk(any());
    verify(h.inventory, never()).recordVm(any());
    verify(h.placement).release(ID);
  }

  @Test
  void anImageRegisteredAsAFileOnAnotherNodeIsImportedThereThenPulled() {
    ImageSource imported = new ImageSource(ImageSource.Kind.IMPORT, "debian-12", "raw", SHA, 0, PEER, null,
        "/srv/debian-12.img", null, null);
    placeWithImageFrom(imported);
    transferSends(SHA);

    h.provision(ID, REQUEST);

    InOrder order = inOrder(h.peerImages, h.peerTransfers, h.host);
    order.verify(h.peerImages).importFile(imported);
    ArgumentCaptor<TransferRequest> sent = ArgumentCaptor.forClass(TransferRequest.class);
    order.verify(h.peerTransfers).send(sent.capture(), any());
    order.verify(h.host).createDisk(any());
    assertThat(sent.getValue().sourcePath()).isEqualTo("images/debian-12/disk.raw");
  }
}
