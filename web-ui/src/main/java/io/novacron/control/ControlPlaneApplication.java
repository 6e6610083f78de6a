package io.novacron.control;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The NovaCron control plane: orchestrator worker, REST API and dashboard in one process. */
@SpringBootApplication
@EnableScheduling // the chart samplers (run/MigrationSampler, node/CapacitySampler)
public class ControlPlaneApplication {
  public static void main(String[] args) {
    SpringApplication.run(ControlPlaneApplication.class, args);
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
