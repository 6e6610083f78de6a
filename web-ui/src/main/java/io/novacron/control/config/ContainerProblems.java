package io.novacron.control.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.workflows.FieldError;
import java.net.URI;
import java.util.List;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Errors answered before any controller runs, as problem+json like every other API error:
 *
 * <ul>
 *   <li>paths Spring Security's {@code StrictHttpFirewall} refuses (an encoded {@code /} or
 *       {@code \}, {@code ..}, {@code ;}), and those with a control character once decoded
 *       ({@link ControlCharacterFirewall}): 400 naming {@code path};
 *   <li>whatever Tomcat answers itself (a URI it cannot decode): {@link ProblemJsonErrorReportValve}.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class ContainerProblems {

  /** Spring Security's WebSecurity picks this bean up for its FilterChainProxy, as the handler below. */
  @Bean
  HttpFirewall controlCharacterFirewall() {
    return new ControlCharacterFirewall();
  }

  /** Spring Security's WebSecurity picks this bean up for its FilterChainProxy. */
  @Bean
  RequestRejectedHandler problemJsonRequestRejectedHandler(ObjectMapper json) {
    return (request, response, rejected) -> {
      String message = "is refused: " + rejected.getMessage() + ". Paths must not contain an encoded '/' (%2F) or "
          + "'\\' (%5C), '..' or '.' segments, ';', NUL or other control characters";
      ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "path " + message);
      problem.setTitle("Invalid request");
      problem.setType(URI.create("https://novacron.io/problems/invalid-request"));
      problem.setProperty("errors", List.of(new FieldError("path", message)));
      response.setStatus(HttpStatus.BAD_REQUEST.value());
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      json.writeValue(response.getOutputStream(), problem);
    };
  }

  /**
   * Lets an encoded {@code /} through Tomcat (which would refuse it with its own HTML page) to the
   * firewall above, which refuses it as problem+json; and replaces Tomcat's HTML error report.
   */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemJsonTomcat() {
    return factory -> {
      factory.addConnectorCustomizers(connector -> connector.setEncodedSolidusHandling("passthrough"));
      factory.addContextCustomizers(context -> {
        if (context.getParent() instanceof StandardHost host) {
          host.setErrorReportValveClass(ProblemJsonErrorReportValve.class.getName());
        }
      });
    };
  }
}
