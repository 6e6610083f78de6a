package io.novacron.control;

import io.novacron.control.security.ApiTokens;
import io.novacron.control.security.Role;
import io.novacron.control.security.UserAccount;
import io.novacron.control.security.UserAccounts;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that run the real control plane: embedded PostgreSQL with Flyway's schema, the
 * web server on a random port, and a Temporal test server the orchestrator worker polls. Subclasses
 * share one application context (and one database), so each test uses names of its own.
 *
 * <p>The API needs a bearer token: {@link #tokenFor(Role)} makes one per role, {@link #userWith(Role)}
 * a dashboard user. The context starts the way {@code novacron up} starts the product: with
 * {@link #BOOTSTRAP_ADMIN} as first admin and a bootstrap admin token written to
 * {@code <data dir>/secrets/admin-token} (each context has a data directory of its own).
 */
// Spring Boot tests switch metric export off unless asked; the product serves /actuator/prometheus.
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ControlPlaneTest {
  private static final int TEMPORAL_PORT = freePort();
  // Lives as long as the test JVM, like the cached application context that polls it.
  private static final TestServer.PortBoundTestServer TEMPORAL = TestServer.createPortBoundServer(TEMPORAL_PORT);
  /**
   * A real Temporal frontend (host:port) for every context of this JVM instead of the in-process
   * test server, from {@code -Dnovacron.test.temporal}: {@code bench-scale.sh --cluster} runs the
   * scale benchmark against {@code novacron cluster up}'s server this way. TLS as for every NovaCron
   * process, from NOVACRON_TEMPORAL_TLS_*. Blank (the default): the test server.
   */
  protected static final String TEMPORAL_TARGET = System.getProperty("novacron.test.temporal", "");

  protected static final String BOOTSTRAP_ADMIN = "first-admin";
  /** A test password, not a default: it exists only in this test's environment. */
  protected static final String BOOTSTRAP_PASSWORD = "test-only-" + UUID.randomUUID();

  @Autowired protected ApiTokens apiTokens;
  @Autowired protected UserAccounts userAccounts;

  /** A dashboard user and the password it was created with. */
  protected record Credentials(UserAccount account, String password) {}

  /** A new API token with {@code role}; the returned string goes after "Bearer ". */
  protected String tokenFor(Role role) {
    return apiTokens.create("test-" + role.id() + "-" + UUID.randomUUID().toString().substring(0, 8), role, "test")
        .secret();
  }

  /** A new dashboard user with {@code role} and a random name and password. */
  protected Credentials userWith(Role role) {
    String password = "pw-" + UUID.randomUUID();
    UserAccount account = userAccounts.create(
        role.id() + "-" + UUID.randomUUID().toString().substring(0, 8), password, role, "test").orElseThrow();
    return new Credentials(account, password);
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws IOException {
    Path data = Files.createTempDirectory("novacron-control-test");
    registry.add("novacron.data-dir", data::toString);
    registry.add("novacron.embedded-postgres.port", ControlPlaneTest::freePort);
    registry.add("novacron.temporal.target", () -> TEMPORAL_TARGET.isBlank() ? "127.0.0.1:" + TEMPORAL_PORT : TEMPORAL_TARGET);
    registry.add("novacron.security.bootstrap.admin-user", () -> BOOTSTRAP_ADMIN);
    registry.add("novacron.security.bootstrap.admin-password", () -> BOOTSTRAP_PASSWORD);
    // Allowed image hosts: one for the API's URL rules, and the loopback that pull tests serve from.
    registry.add("novacron.images.allowed-url-hosts", () -> "images.example.org,127.0.0.1");
    registry.add("novacron.security.bootstrap.token-file", () -> data.resolve("secrets/admin-token").toString());
  }

  protected static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
