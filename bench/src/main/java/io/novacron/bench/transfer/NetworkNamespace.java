package io.novacron.bench.transfer;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs code in another network namespace from inside this JVM: a fresh thread joins the namespace
 * with {@code setns(2)} (namespaces belong to threads, and threads it starts inherit it), so a
 * receiver built there listens on that namespace's interfaces while the sender stays here. Needs
 * root (CAP_SYS_ADMIN) and a namespace made by {@code ip netns add}.
 */
final class NetworkNamespace {
  private static final int O_RDONLY = 0;
  private static final int CLONE_NEWNET = 0x40000000;

  /** The three libc calls this needs; JNA is already on the host agent's class path (libvirt). */
  private interface LibC extends Library {
    int open(String path, int flags);

    int setns(int fd, int nstype);

    int close(int fd);
  }

  private final String name;
  private final Path handle;

  NetworkNamespace(String name) {
    this.name = name;
    this.handle = Path.of("/run/netns", name);
    if (!Files.exists(handle)) {
      throw new IllegalArgumentException("no network namespace " + name + " (" + handle + "); create it with ip netns add");
    }
  }

  String name() {
    return name;
  }

  /** Runs {@code work} on a new thread inside this namespace and returns its result. */
  <T> T call(Callable<T> work) throws Exception {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        enter();
        result.set(work.call());
      } catch (Exception e) {
        failure.set(e);
      }
    }, "netns-" + name);
    t.start();
    t.join();
    if (failure.get() != null) {
      throw failure.get();
    }
    return result.get();
  }

  private void enter() throws IOException {
    LibC libc = Native.load("c", LibC.class);
    int fd = libc.open(handle.toString(), O_RDONLY);
    if (fd < 0) {
      throw new IOException("open " + handle + " failed: errno " + Native.getLastError());
    }
    try {
      if (libc.setns(fd, CLONE_NEWNET) != 0) {
        throw new IOException("setns into " + name + " failed: errno " + Native.getLastError() + " (needs root)");
      }
    } finally {
      libc.close(fd);
    }
  }
}
