package io.novacron.host.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.console.ConsoleChunk;
import io.novacron.workflows.console.ConsoleRequest;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads of real console log files in a temporary consoles directory. */
class ConsoleActivitiesImplTest {
  @TempDir Path data;

  private ConsoleActivitiesImpl console() throws Exception {
    return new ConsoleActivitiesImpl(Files.createDirectories(data.resolve("consoles")));
  }

  private void log(String vm, byte[] bytes) throws Exception {
    Files.write(Files.createDirectories(data.resolve("consoles")).resolve(vm + ".log"), bytes);
  }

  @Test
  void readsFromAnOffsetAndSaysWhereToGoOn() throws Exception {
    log("web1", "boot\nnovacron-guest: up\n".getBytes(StandardCharsets.UTF_8));

    ConsoleChunk all = console().readConsole(new ConsoleRequest("web1", 0, 0));
    ConsoleChunk rest = console().readConsole(new ConsoleRequest("web1", 5, 0));

    assertThat(all.text()).isEqualTo("boot\nnovacron-guest: up\n");
    assertThat(all.nextOffset()).isEqualTo(all.size()).isEqualTo(24);
    assertThat(rest.text()).isEqualTo("novacron-guest: up\n");
    assertThat(rest.start()).isEqualTo(5);
    assertThat(rest.truncatedBefore()).isFalse();
    assertThat(console().readConsole(new ConsoleRequest("web1", 24, 0)).text()).as("nothing new").isEmpty();
  }

  @Test
  void followsALogThatGrows() throws Exception {
    Path file = data.resolve("consoles/web1.log");
    log("web1", "one\n".getBytes(StandardCharsets.UTF_8));
    ConsoleChunk first = console().readConsole(new ConsoleRequest("web1", 0, 0));
    Files.writeString(file, "two\n", java.nio.file.StandardOpenOption.APPEND);

    ConsoleChunk second = console().readConsole(new ConsoleRequest("web1", first.nextOffset(), 0));

    assertThat(second.text()).isEqualTo("two\n");
    assertThat(second.nextOffset()).isEqualTo(8);
  }

  @Test
  void aNegativeOffsetIsATailAndSkipsAHalfCharacter() throws Exception {
    // "é" is two bytes: the last 4 bytes start inside it.
    log("web1", "abcdé\nxy".getBytes(StandardCharsets.UTF_8));

    ConsoleChunk tail = console().readConsole(new ConsoleRequest("web1", -4, 0));
    ConsoleChunk longer = console().readConsole(new ConsoleRequest("web1", -100, 0));

    assertThat(tail.text()).isEqualTo("\nxy");
    assertThat(tail.start()).isEqualTo(6);
    assertThat(tail.truncatedBefore()).isTrue();
    assertThat(tail.nextOffset()).isEqualTo(9);
    assertThat(longer.text()).isEqualTo("abcdé\nxy");
    assertThat(longer.truncatedBefore()).as("nothing was skipped").isFalse();
  }

  @Test
  void aReadIsBoundedAndLeavesACutCharacterForTheNext() throws Exception {
    byte[] big = new byte[ConsoleRequest.MAX_BYTES * 2];
    java.util.Arrays.fill(big, (byte) 'x');
    log("big", big);
    log("small", "aé".getBytes(StandardCharsets.UTF_8));

    ConsoleChunk huge = console().readConsole(new ConsoleRequest("big", 0, Integer.MAX_VALUE));
    ConsoleChunk cut = console().readConsole(new ConsoleRequest("small", 0, 2));
    ConsoleChunk next = console().readConsole(new ConsoleRequest("small", cut.nextOffset(), 2));

    assertThat(huge.text()).hasSize(ConsoleRequest.MAX_BYTES);
    assertThat(huge.nextOffset()).isEqualTo(ConsoleRequest.MAX_BYTES);
    assertThat(huge.size()).isEqualTo(big.length);
    assertThat(cut.text()).isEqualTo("a");
    assertThat(cut.nextOffset()).isEqualTo(1);
    assertThat(next.text()).isEqualTo("é");
  }

  @Test
  void invalidBytesAreReplaced() throws Exception {
    log("web1", new byte[] {'o', 'k', (byte) 0xFF, '\n'});

    assertThat(console().readConsole(new ConsoleRequest("web1", 0, 0)).text()).isEqualTo("ok\uFFFD\n");
  }

  @Test
  void aMissingLogIsEmptyAndAShorterOneRestarted() throws Exception {
    assertThat(console().readConsole(new ConsoleRequest("nobody", 42, 0))).isEqualTo(ConsoleChunk.empty());

    log("web1", "new boot\n".getBytes(StandardCharsets.UTF_8));
    ConsoleChunk replaced = console().readConsole(new ConsoleRequest("web1", 5000, 0));

    assertThat(replaced.restarted()).isTrue();
    assertThat(replaced.start()).isZero();
    assertThat(replaced.text()).isEqualTo("new boot\n");
  }

  @Test
  void aNameThatIsAPathIsRefused() throws Exception {
    Files.writeString(data.resolve("secret.log"), "root password");

    for (String name : new String[] {"../secret", "/etc/passwd", "a/../../secret", "", null}) {
      assertThatThrownBy(() -> console().readConsole(new ConsoleRequest(name, 0, 0)))
          .as(String.valueOf(name))
          .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
            assertThat(failure.getType()).isEqualTo(FailureTypes.INVALID_SPEC);
            assertThat(failure.isNonRetryable()).isTrue();
          });
    }
  }
}
