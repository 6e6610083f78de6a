package io.novacron.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.client.ActivityCompletionException;
import io.temporal.testing.TestActivityEnvironment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A guest-changing step that blocks in one call is kept alive by heartbeats from beside it, and a
 * cancel neither stops the heartbeats from being swallowed nor cuts the step short.
 */
class ActivityStepsTest {
  @ActivityInterface(namePrefix = "Test.")
  public interface GuestStep {
    @ActivityMethod
    String change();
  }

  private TestActivityEnvironment env;
  private final AtomicInteger beats = new AtomicInteger();

  @BeforeEach
  void setUp() {
    env = TestActivityEnvironment.newInstance();
    env.setActivityHeartbeatListener(Object.class, details -> beats.incrementAndGet());
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void heartbeatsWhileTheStepBlocksInOneCall() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    env.registerActivitiesImplementations((GuestStep) () -> ActivitySteps.call(() -> {
      release.await(30, TimeUnit.SECONDS);
      return "changed";
    }));
    GuestStep step = env.newActivityStub(GuestStep.class);
    Thread releaser = new Thread(() -> {
      long deadline = System.currentTimeMillis() + 20_000;
      while (beats.get() < 2 && System.currentTimeMillis() < deadline) {
        sleep(50);
      }
      release.countDown();
    });
    releaser.start();

    assertThat(step.change()).isEqualTo("changed");
    releaser.join();
    assertThat(beats.get()).as("heartbeats sent while the step blocked").isGreaterThanOrEqualTo(2);
    int after = beats.get();
    sleep(ActivitySteps.HEARTBEAT_EVERY_MS + 500);
    assertThat(beats.get()).as("no heartbeat once the step has ended").isEqualTo(after);
  }

  @Test
  void aStepThatReportsItsOwnHeartbeatsGetsNoneBesideIt() throws Exception {
    env.registerActivitiesImplementations((GuestStep) () -> ActivitySteps.callReportingItsOwnHeartbeats(() -> {
      Thread.sleep(2 * ActivitySteps.HEARTBEAT_EVERY_MS + 500);
      return "changed";
    }));

    assertThat(env.newActivityStub(GuestStep.class).change()).isEqualTo("changed");
    assertThat(beats.get()).as("heartbeats beside a step that sends its own").isZero();
  }

  @Test
  void outsideAnActivityTheStepJustRuns() {
    assertThat(ActivitySteps.call(() -> "changed")).isEqualTo("changed");
  }

  @Test
  void aCancelDoesNotCutTheStepShort() {
    AtomicBoolean cancelSeen = new AtomicBoolean();
    AtomicBoolean keptAlive = new AtomicBoolean();
    env.registerActivitiesImplementations((GuestStep) () -> ActivitySteps.call(() -> {
      ActivityExecutionContext context = Activity.getExecutionContext();
      long deadline = System.currentTimeMillis() + 20_000;
      while (!cancelSeen.get() && System.currentTimeMillis() < deadline) {
        try {
          context.heartbeat(null);
        } catch (ActivityCompletionException e) {
          cancelSeen.set(true);
        }
        Thread.sleep(100);
      }
      // The guest's change goes on after the cancel: more heartbeats, then its end.
      assertThatCode(() -> ActivitySteps.keepAlive(context, null)).doesNotThrowAnyException();
      Thread.sleep(ActivitySteps.HEARTBEAT_EVERY_MS + 500);
      keptAlive.set(true);
      return "changed";
    }));
    GuestStep step = env.newActivityStub(GuestStep.class);
    env.requestCancelActivity();

    assertThat(step.change()).isEqualTo("changed");
    assertThat(cancelSeen).as("the cancel reached the step's heartbeats").isTrue();
    assertThat(keptAlive).as("the step ran to its end after the cancel").isTrue();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
