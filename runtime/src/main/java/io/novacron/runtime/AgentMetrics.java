package io.novacron.runtime;

import com.sun.net.httpserver.HttpServer;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's metrics: one Prometheus registry for the agent's own meters ({@code novacron_*}) and
 * the Temporal SDK's, served as text at {@code GET /metrics}. Agents are not web applications, so
 * the JDK's HTTP server does this one job.
 *
 * <p>Settings: {@code NOVACRON_METRICS_PORT} (the agent's default; 0 turns the endpoint off) and
 * {@code NOVACRON_METRICS_ADDRESS} (default 127.0.0.1; 0.0.0.0 for a Prometheus elsewhere). A port
 * already taken is logged and the agent runs on without the endpoint: metrics never stop work.
 */
public final class AgentMetrics implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentMetrics.class);
  /** Default ports: both agents may run on one node. */
  public static final int HOST_AGENT_PORT = 9464;
  public static final int GPU_AGENT_PORT = 9465;

  private final PrometheusMeterRegistry registry;
  private final Scope temporalScope;
  private final HttpServer server;

  private AgentMetrics(PrometheusMeterRegistry registry, HttpServer server) {
    this.registry = registry;
    this.server = server;
    // Temporal reports through tally; flushed every 10 s into the same registry.
    this.temporalScope = new RootScopeBuilder()
        .reporter(new MicrometerClientStatsReporter(registry))
        .reportEvery(com.uber.m3.util.Duration.ofSeconds(10));
  }

  /** Starts the endpoint the environment asks for, on {@code defaultPort} unless it says otherwise. */
  public static AgentMetrics fromEnv(Map<String, String> env, int defaultPort) {
    String portSetting = env.getOrDefault("NOVACRON_METRICS_PORT", "").trim();
    int port;
    try {
      port = portSetting.isEmpty() ? defaultPort : Integer.parseInt(portSetting);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("NOVACRON_METRICS_PORT=" + portSetting + ": not a port number (0 turns metrics off)");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("NOVACRON_METRICS_PORT=" + port + ": must be 0..65535 (0 turns metrics off)");
    }
    String address = env.getOrDefault("NOVACRON_METRICS_ADDRESS", "127.0.0.1").trim();
    return start(address, port);
  }

  /** Starts serving on {@code address:port} ({@code port} 0: no endpoint, the registry only). */
  public static AgentMetrics start(String address, int port) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    HttpServer server = null;
    if (port > 0) {
      try {
        server = HttpServer.create(new InetSocketAddress(address, port), 16);
        server.createContext("/metrics", exchange -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
        server.start();
        log.info("metrics at http://{}:{}/metrics", address, server.getAddress().getPort());
      } catch (IOException e) {
        log.warn("metrics endpoint {}:{} not started ({}); set NOVACRON_METRICS_PORT to a free port or 0",
            address, port, e.getMessage());
        server = null;
      }
    }
    return new AgentMetrics(registry, server);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The scope to give {@link TemporalConnection#stubs(String, Scope)}. */
  public Scope temporalScope() {
    return temporalScope;
  }

  /** The port serving {@code /metrics}, or -1 when none does. */
  public int port() {
    return server == null ? -1 : server.getAddress().getPort();
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
    try {
      temporalScope.close();
    } catch (com.uber.m3.tally.ScopeCloseException e) {
      log.debug("closing the Temporal metrics scope: {}", e.getMessage());
    }
    registry.close();
  }
}
