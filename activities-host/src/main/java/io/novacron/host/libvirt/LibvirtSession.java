package io.novacron.host.libvirt;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The agent's one connection to its libvirt daemon, reopened when it breaks (libvirtd restarted).
 * libvirt connections are thread-safe; the lock only guards reconnecting.
 */
public final class LibvirtSession implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LibvirtSession.class);

  private final String uri;
  /** Set-ups every new connection gets (event listeners, which die with their connection). */
  private final List<Call<?>> setups = new CopyOnWriteArrayList<>();
  private Connect connect;

  public LibvirtSession(String uri) {
    this.uri = uri;
  }

  public String uri() {
    return uri;
  }

  /** Work done with the connection. */
  @FunctionalInterface
  public interface Call<T> {
    T apply(Connect connect) throws LibvirtException;
  }

  /**
   * Runs {@code call} on the connection. When the connection turns out dead the call is repeated
   * once on a new one, so only idempotent calls belong here (all of the agent's are).
   */
  public <T> T call(Call<T> call) throws LibvirtException {
    Connect current = connection();
    try {
      return call.apply(current);
    } catch (LibvirtException e) {
      if (isAlive(current)) {
        throw e;
      }
      reset(current);
      return call.apply(connection());
    }
  }

  /**
   * Runs {@code setup} on the connection now and again on each one that replaces it after a
   * reconnect. A set-up that fails on a later connection is logged; calls still go through.
   */
  public void onEveryConnection(Call<?> setup) throws LibvirtException {
    setups.add(setup);
    setup.apply(connection());
  }

  private synchronized Connect connection() throws LibvirtException {
    if (connect == null) {
      connect = new Connect(uri);
      for (Call<?> setup : setups) {
        try {
          setup.apply(connect);
        } catch (LibvirtException e) {
          log.warn("set-up of the new connection to {} failed: {}", uri, e.getMessage());
        }
      }
    }
    return connect;
  }

  private synchronized void reset(Connect dead) {
    if (connect == dead) {
      closeQuietly(dead);
      connect = null;
    }
  }

  private static boolean isAlive(Connect connect) {
    try {
      return connect.isAlive();
    } catch (LibvirtException e) {
      return false;
    }
  }

  private static void closeQuietly(Connect connect) {
    try {
      connect.close();
    } catch (LibvirtException ignored) {
      // The connection is being dropped because it is already broken.
    }
  }

  @Override
  public synchronized void close() {
    if (connect != null) {
      closeQuietly(connect);
      connect = null;
    }
  }
}
