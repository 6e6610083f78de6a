package io.novacron.control;

import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that run the real control plane: embedded PostgreSQL with Flyway's schema, the
 * web server on a random port, and a Temporal test server the orchestrator worker polls. Subclasses
 * share one application context (and one database), so each test uses names of its own.
 */
// Spring Boot tests switch metric export off unless asked; the product serves /actuator/prometheus.
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ControlPlaneTest {
  private static final int TEMPORAL_PORT = freePort();
  // Lives as long as the test JVM, like the cached application context that polls it.
  private static final TestServer.PortBoundTestServer TEMPORAL = TestServer.createPortBoundServer(TEMPORAL_PORT);

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws IOException {
    Path data = Files.createTempDirectory("novacron-control-test");
    registry.add("novacron.data-dir", data::toString);
    registry.add("novacron.embedded-postgres.port", ControlPlaneTest::freePort);
    registry.add("novacron.temporal.target", () -> "127.0.0.1:" + TEMPORAL_PORT);
  }

  protected static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
