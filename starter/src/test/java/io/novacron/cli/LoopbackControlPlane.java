package io.novacron.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP server that answers the CLI as a script says the control plane would, records
 * each request as {@code "METHOD path body"} (the path with its query, if any), and runs the CLI
 * against itself.
 */
final class LoopbackControlPlane implements AutoCloseable {
  /** What the server answers: an HTTP status, a JSON body, and for a list its X-Total-Count (or null). */
  record Answer(int status, String json, Long total) {
    /** No answer at all: the connection is closed after the request was read, as a network error would. */
    static final Answer DROPPED = new Answer(-1, "");

    Answer(int status, String json) {
      this(status, json, null);
    }
  }

  /** The answer to one request. */
  @FunctionalInterface
  interface Script {
    Answer answer(String method, String path, String body);
  }

  private final HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> idempotencyKeys = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  LoopbackControlPlane(Script script) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String query = exchange.getRequestURI().getRawQuery();
      String path = exchange.getRequestURI().getPath() + (query == null ? "" : "?" + query);
      requests.add(exchange.getRequestMethod() + " " + path + " " + body);
      idempotencyKeys.add(String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")));
      Answer answer = script.answer(exchange.getRequestMethod(), path, body);
      if (answer == Answer.DROPPED) {
        exchange.close();
        return;
      }
      byte[] bytes = answer.json().getBytes(StandardCharsets.UTF_8);
      if (answer.total() != null) {
        exchange.getResponseHeaders().add("X-Total-Count", answer.total().toString());
      }
      exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  /** Runs {@code novacron --api=<this server> args...}; returns its exit code. */
  int cli(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "--api=http://127.0.0.1:" + server.getAddress().getPort();
    System.arraycopy(args, 0, all, 1, args.length);
    return new NovacronCli(new PrintStream(out, true), new PrintStream(err, true)).run(all);
  }

  /** The server's address, for a client built by the test itself. */
  java.net.URI base() {
    return java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<String> requests() {
    return requests;
  }

  /** The Idempotency-Key header of each request, in order ("null" where none was sent). */
  List<String> idempotencyKeys() {
    return idempotencyKeys;
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
