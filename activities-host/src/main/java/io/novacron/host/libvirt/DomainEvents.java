package io.novacron.host.libvirt;

import java.util.concurrent.atomic.AtomicBoolean;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.libvirt.event.LifecycleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Domain lifecycle events (defined, started, stopped, undefined, ...) from libvirt, for announcing
 * a node as soon as one of its domains changes instead of at the next interval. Optional by
 * design: where libvirt cannot deliver events, the interval announcement still says everything,
 * only later.
 */
public final class DomainEvents {
  private static final Logger log = LoggerFactory.getLogger(DomainEvents.class);
  private static final AtomicBoolean LOOP = new AtomicBoolean();

  private DomainEvents() {}

  /**
   * Registers libvirt's default event loop and runs it on a daemon thread, once per process. Call
   * it before opening the connections whose events are wanted. Returns whether events can flow.
   */
  public static boolean startLoop() {
    if (LOOP.get()) {
      return true;
    }
    synchronized (LOOP) {
      if (LOOP.get()) {
        return true;
      }
      try {
        Library.initEventLoop();
      } catch (LibvirtException | RuntimeException | LinkageError e) {
        log.warn("libvirt events are not available ({}); the node is announced at its interval only", e.toString());
        return false;
      }
      Thread loop = new Thread(DomainEvents::run, "libvirt-events");
      loop.setDaemon(true);
      loop.start();
      LOOP.set(true);
      return true;
    }
  }

  /**
   * Calls {@code changed} on every lifecycle event of any domain of the session's connection,
   * re-registered on each new connection after a reconnect. {@code changed} runs on the event
   * loop's thread: it must return at once (hand the work to another thread).
   */
  public static void onChange(LibvirtSession libvirt, Runnable changed) throws LibvirtException {
    LifecycleListener listener = (domain, event) -> {
      changed.run();
      return 0;
    };
    libvirt.onEveryConnection(c -> {
      c.addLifecycleListener(listener);
      return null;
    });
  }

  private static void run() {
    try {
      Library.runEventLoop();
    } catch (LibvirtException e) {
      log.warn("libvirt's event loop stopped: {}; the node is announced at its interval only", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
