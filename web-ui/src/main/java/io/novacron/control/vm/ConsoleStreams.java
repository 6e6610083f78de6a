package io.novacron.control.vm;

import io.novacron.control.shared.ConflictException;
import io.novacron.control.shared.NotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events of a VM's console: the reads {@link VmConsoles} makes, one a second once the
 * stream has caught up, each new slice sent as a {@code console} event whose id is the offset to
 * go on from (a reconnecting {@code EventSource} sends it back as {@code Last-Event-ID}).
 * {@code unavailable} says, once per cause, that the node cannot be read now (the stream keeps
 * trying); {@code gone} that the VM left the inventory, and ends the stream.
 */
@Component
class ConsoleStreams implements DisposableBean {
  /** How often a stream that has caught up asks again. */
  static final Duration POLL = Duration.ofSeconds(1);
  /** A stream ends after this; an {@code EventSource} reconnects where it was. */
  static final Duration STREAM_TIMEOUT = Duration.ofMinutes(30);

  private final VmConsoles consoles;
  // Reads block (up to seconds for a node that does not answer): never on a request thread.
  private final ScheduledExecutorService polls = Executors.newScheduledThreadPool(4, task -> {
    Thread thread = new Thread(task, "console-stream");
    thread.setDaemon(true);
    return thread;
  });

  ConsoleStreams(VmConsoles consoles) {
    this.consoles = consoles;
  }

  /**
   * Reads once now, so that an unknown VM or an unreachable node is answered as a plain 404 or 409,
   * then streams from there.
   */
  SseEmitter open(String vm, long offset) {
    ConsoleText first = consoles.read(vm, offset, 0);
    Stream stream = new Stream(vm, new SseEmitter(STREAM_TIMEOUT.toMillis()));
    stream.deliver(first);
    return stream.emitter;
  }

  @Override
  public void destroy() {
    polls.shutdownNow();
  }

  /** One client's stream: where it is in the log, and whether the client is still there. */
  private final class Stream {
    private final String vm;
    private final SseEmitter emitter;
    private volatile boolean closed;
    private long offset;
    private String lastRefusal;

    Stream(String vm, SseEmitter emitter) {
      this.vm = vm;
      this.emitter = emitter;
      emitter.onCompletion(() -> closed = true);
      emitter.onTimeout(() -> closed = true);
      emitter.onError(error -> closed = true);
    }

    /** Sends what {@code text} holds, then schedules the next read: at once while behind. */
    void deliver(ConsoleText text) {
      offset = text.nextOffset();
      if (!text.text().isEmpty() || text.restarted()) {
        send(SseEmitter.event().name("console").id(String.valueOf(text.nextOffset()))
            .data(text, MediaType.APPLICATION_JSON));
      }
      boolean behind = !text.text().isEmpty() && text.nextOffset() < text.size();
      next(behind ? Duration.ZERO : POLL);
    }

    private void next(Duration delay) {
      if (!closed) {
        polls.schedule(this::poll, delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    }

    private void poll() {
      if (closed) {
        return;
      }
      try {
        ConsoleText text = consoles.read(vm, offset, 0);
        lastRefusal = null;
        deliver(text);
      } catch (ConflictException e) {
        if (!e.getMessage().equals(lastRefusal)) {
          lastRefusal = e.getMessage();
          send(SseEmitter.event().name("unavailable").data(e.getMessage()));
        }
        next(POLL);
      } catch (NotFoundException e) {
        send(SseEmitter.event().name("gone").data(e.getMessage()));
        emitter.complete();
      } catch (RuntimeException e) {
        emitter.completeWithError(e);
      }
    }

    private void send(SseEmitter.SseEventBuilder event) {
      try {
        emitter.send(event);
      } catch (IOException | IllegalStateException gone) {
        // The client went away (or the stream timed out): stop reading for it.
        closed = true;
      }
    }
  }
}
