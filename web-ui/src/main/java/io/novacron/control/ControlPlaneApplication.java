package io.novacron.control;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The NovaCron control plane: orchestrator worker, REST API and dashboard in one process. */
@SpringBootApplication
public class ControlPlaneApplication {
  public static void main(String[] args) {
    SpringApplication.run(ControlPlaneApplication.class, args);
  }
}
