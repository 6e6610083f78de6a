package io.novacron.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.stub.StreamObserver;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * mTLS to Temporal, against a real TLS gRPC server that requires a client certificate from the
 * test CA (src/test/resources/tls, made by deploy/temporal/scripts/make-certs.sh).
 */
class TemporalConnectionTlsTest {
  private static Server server;
  private static int port;

  private static String tls(String name) {
    try {
      return new File(TemporalConnectionTlsTest.class.getResource("/tls/" + name).toURI()).getPath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void startServer() throws Exception {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .sslContext(GrpcSslContexts.forServer(new File(tls("server.pem")), new File(tls("server.key")))
            .trustManager(new File(tls("ca.pem")))
            .clientAuth(ClientAuth.REQUIRE)
            .build())
        .addService(new WorkflowServiceGrpc.WorkflowServiceImplBase() {
          @Override
          public void getSystemInfo(GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> response) {
            response.onNext(GetSystemInfoResponse.newBuilder().setServerVersion("tls-test").build());
            response.onCompleted();
          }
        })
        .build()
        .start();
    port = server.getPort();
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static Map<String, String> clientEnv(String cert, String key, String ca) {
    Map<String, String> env = new HashMap<>();
    if (cert != null) {
      env.put("NOVACRON_TEMPORAL_TLS_CERT", tls(cert));
      env.put("NOVACRON_TEMPORAL_TLS_KEY", tls(key));
    }
    if (ca != null) {
      env.put("NOVACRON_TEMPORAL_TLS_CA", tls(ca));
    }
    return env;
  }

  private static String serverVersion(String target, Map<String, String> env) {
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(TemporalConnection.stubsOptions(target, env));
    try {
      return stubs.blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance()).getServerVersion();
    } finally {
      stubs.shutdownNow();
    }
  }

  @Test
  void aClientCertificateFromTheCaGetsThrough() {
    assertThat(serverVersion("localhost:" + port, clientEnv("control-plane.pem", "control-plane.key", "ca.pem")))
        .isEqualTo("tls-test");
  }

  @Test
  void theServerNameOverridesTheTargetHostForVerification() {
    Map<String, String> env = clientEnv("control-plane.pem", "control-plane.key", "ca.pem");
    env.put("NOVACRON_TEMPORAL_TLS_SERVER_NAME", "temporal"); // a name in server.pem, not the target's
    assertThat(serverVersion("127.0.0.1:" + port, env)).isEqualTo("tls-test");

    env.put("NOVACRON_TEMPORAL_TLS_SERVER_NAME", "elsewhere.example");
    assertThatThrownBy(() -> serverVersion("127.0.0.1:" + port, env)).isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void withoutAClientCertificateTheServerRefuses() {
    assertThatThrownBy(() -> serverVersion("localhost:" + port, clientEnv(null, null, "ca.pem")))
        .isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void aCertificateFromAnotherCaIsRefused() {
    assertThatThrownBy(() -> serverVersion("localhost:" + port, clientEnv("other/client.pem", "other/client.key", "ca.pem")))
        .isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void theClientRefusesAServerItsCaDidNotSign() {
    assertThatThrownBy(() -> serverVersion("localhost:" + port,
            clientEnv("control-plane.pem", "control-plane.key", "other/ca.pem")))
        .isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void withoutTlsSettingsTheChannelStaysPlaintext() {
    assertThat(TemporalConnection.sslContext(Map.of())).isNull();
    assertThat(TemporalConnection.stubsOptions("localhost:7233", Map.of()).getSslContext()).isNull();
  }

  @Test
  void incompleteOrMissingSettingsAreNamed() {
    assertThatThrownBy(() -> TemporalConnection.sslContext(Map.of("NOVACRON_TEMPORAL_TLS_CERT", tls("control-plane.pem"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NOVACRON_TEMPORAL_TLS_KEY");
    assertThatThrownBy(() -> TemporalConnection.sslContext(Map.of("NOVACRON_TEMPORAL_TLS_CA", "/nonexistent/ca.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NOVACRON_TEMPORAL_TLS_CA=/nonexistent/ca.pem");
    assertThat(TemporalConnection.sslContext(Map.of("NOVACRON_TEMPORAL_TLS", "true"))).isNotNull();
  }
}
