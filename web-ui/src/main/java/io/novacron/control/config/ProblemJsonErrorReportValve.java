package io.novacron.control.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.workflows.FieldError;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.res.StringManager;

/**
 * Tomcat's own error answers (a URI it cannot decode or normalise, a NUL in the path, a request
 * line it cannot parse) as problem+json instead of its HTML page. They never reach Spring, so this
 * valve on the host is the last place that can say, in the API's format, what to fix.
 *
 * <p>Tomcat creates the valve by class name, so it has no Spring beans; a plain ObjectMapper is
 * enough for a map of strings.
 */
public final class ProblemJsonErrorReportValve extends ErrorReportValve {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final StringManager HTTP_STATUS = StringManager.getManager("org.apache.catalina.valves");

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    // As the HTML report: nothing for successes, and nothing once someone else wrote an answer.
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "https://novacron.io/problems/" + (status == 400 ? "invalid-request" : "http-" + status));
    problem.put("title", status == 400 ? "Invalid request" : reason(status));
    problem.put("status", status);
    String message = response.getMessage();
    if (status == 400) {
      String detail = "The request line or path cannot be read (" + (message == null ? "rejected by the server" : message)
          + "). Paths must not contain NUL, an encoded '/' (%2F) or '\\' (%5C), or '..' segments; "
          + "percent-encode other reserved characters.";
      problem.put("detail", detail);
      problem.put("errors", List.of(new FieldError("path", detail)));
    } else {
      problem.put("detail", message == null || message.isBlank() ? reason(status) : message);
    }
    try {
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      OutputStream out = response.getOutputStream();
      JSON.writeValue(out, problem);
      response.finishResponse();
    } catch (IOException | IllegalStateException e) {
      // The client went away, or the response cannot be written: nothing left to tell anyone.
    }
  }

  private static String reason(int status) {
    String reason = HTTP_STATUS.getString("http." + status + ".reason");
    return reason == null || reason.startsWith("http.") ? "HTTP " + status : reason;
  }
}
