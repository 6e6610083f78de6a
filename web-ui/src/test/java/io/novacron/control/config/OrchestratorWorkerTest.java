package io.novacron.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.worker.WorkerFactory;
import org.junit.jupiter.api.Test;

class OrchestratorWorkerTest {
  @Test
  void a_temporal_that_does_not_answer_the_start_is_tried_again_instead_of_ending_the_application()
      throws Exception {
    WorkerFactory factory = mock(WorkerFactory.class);
    doThrow(new StatusRuntimeException(Status.DEADLINE_EXCEEDED)).doNothing().when(factory).start();
    OrchestratorWorker worker = new OrchestratorWorker(factory);

    assertThatCode(worker::onReady).doesNotThrowAnyException();
    assertThat(worker.isRunning()).isFalse();
    assertThat(worker.failedStarts()).isEqualTo(1);

    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!worker.isRunning() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(worker.isRunning()).as("polling after the retry").isTrue();
    verify(factory, times(2)).start();
    worker.stop();
    verify(factory).shutdown();
  }

  @Test
  void a_stop_before_the_retry_cancels_it() throws Exception {
    WorkerFactory factory = mock(WorkerFactory.class);
    doThrow(new StatusRuntimeException(Status.UNAVAILABLE)).when(factory).start();
    OrchestratorWorker worker = new OrchestratorWorker(factory);

    worker.onReady();
    worker.stop();
    Thread.sleep(OrchestratorWorker.FIRST_RETRY.toMillis() + 500);

    verify(factory, times(1)).start();
    assertThat(worker.isRunning()).isFalse();
  }
}
