package io.novacron.runtime;

import io.novacron.workflows.DataConversion;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How every NovaCron process reaches Temporal: a gRPC target ({@code host:port}) and a namespace.
 * The control plane, the agents and the CLI all connect the same way.
 *
 * <p>TLS comes from the environment, the same for every process (docs/deploy.md, "mTLS"):
 * {@code NOVACRON_TEMPORAL_TLS_CERT} and {@code NOVACRON_TEMPORAL_TLS_KEY} (PEM; the key PKCS#8,
 * as deploy/temporal/scripts/make-certs.sh writes it) for a client certificate,
 * {@code NOVACRON_TEMPORAL_TLS_CA} (PEM) to trust a private CA instead of the system's,
 * {@code NOVACRON_TEMPORAL_TLS_SERVER_NAME} when the server's certificate names another host than
 * the target, and {@code NOVACRON_TEMPORAL_TLS=true} for TLS with none of them (a server with a
 * public certificate). With none of these set the channel is plaintext, as before.
 */
public final class TemporalConnection {
  public static final String DEFAULT_TARGET = "127.0.0.1:7233";
  public static final String DEFAULT_NAMESPACE = "default";

  private TemporalConnection() {}

  /**
   * Opens service stubs to {@code target}, with TLS when the environment asks for it (see the
   * class comment); the caller shuts them down.
   *
   * @throws IllegalArgumentException when the TLS settings are incomplete or their files unreadable
   */
  public static WorkflowServiceStubs stubs(String target) {
    return WorkflowServiceStubs.newServiceStubs(stubsOptions(target, System.getenv()));
  }

  /** As {@link #stubs(String)}, reporting the SDK's metrics (polls, task latencies) to {@code metrics}. */
  public static WorkflowServiceStubs stubs(String target, com.uber.m3.tally.Scope metrics) {
    return WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder(stubsOptions(target, System.getenv()))
        .setMetricsScope(metrics)
        .build());
  }

  /** The options {@link #stubs(String)} uses, with TLS settings read from {@code env}. */
  static WorkflowServiceStubsOptions stubsOptions(String target, Map<String, String> env) {
    WorkflowServiceStubsOptions.Builder builder = WorkflowServiceStubsOptions.newBuilder().setTarget(target);
    SslContext tls = sslContext(env);
    if (tls != null) {
      builder.setSslContext(tls);
      String serverName = setting(env, "NOVACRON_TEMPORAL_TLS_SERVER_NAME");
      if (serverName != null) {
        builder.setChannelInitializer(channel -> channel.overrideAuthority(serverName));
      }
    }
    return builder.build();
  }

  /** The client TLS context the environment describes, or null for plaintext. */
  static SslContext sslContext(Map<String, String> env) {
    String cert = setting(env, "NOVACRON_TEMPORAL_TLS_CERT");
    String key = setting(env, "NOVACRON_TEMPORAL_TLS_KEY");
    String ca = setting(env, "NOVACRON_TEMPORAL_TLS_CA");
    boolean asked = "true".equalsIgnoreCase(setting(env, "NOVACRON_TEMPORAL_TLS"))
        || setting(env, "NOVACRON_TEMPORAL_TLS_SERVER_NAME") != null;
    if (cert == null && key == null && ca == null && !asked) {
      return null;
    }
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException(
          "NOVACRON_TEMPORAL_TLS_CERT and NOVACRON_TEMPORAL_TLS_KEY go together: set both or neither");
    }
    try {
      SslContextBuilder builder = GrpcSslContexts.forClient();
      if (cert != null) {
        builder.keyManager(readable(cert, "NOVACRON_TEMPORAL_TLS_CERT"), readable(key, "NOVACRON_TEMPORAL_TLS_KEY"));
      }
      if (ca != null) {
        builder.trustManager(readable(ca, "NOVACRON_TEMPORAL_TLS_CA"));
      }
      return builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException("Temporal TLS settings: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Temporal TLS settings: cannot use the certificate or key (PEM, key in PKCS#8): " + e.getMessage(), e);
    }
  }

  private static String setting(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static java.io.File readable(String path, String variable) {
    Path file = Path.of(path);
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(variable + "=" + path + ": no such readable file");
    }
    return file.toFile();
  }

  /** A client of {@code namespace} over {@code stubs}, with the contracts' converter ({@link DataConversion}). */
  public static WorkflowClient client(WorkflowServiceStubs stubs, String namespace) {
    return WorkflowClient.newInstance(stubs, DataConversion.clientOptions(namespace));
  }
}
