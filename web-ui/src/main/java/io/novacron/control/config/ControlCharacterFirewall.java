package io.novacron.control.config;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's {@link StrictHttpFirewall}, and also refusing a path whose decoded form holds a
 * control character ({@code %0F}, a C1 control such as {@code %C2%84}). The strict firewall only
 * looks at the encoded form, and such a path then matched no controller and fell through to the
 * dashboard, which answered 200 with its HTML page (found by ApiConformanceTest). No name the API
 * knows contains one, so it is a 400 naming {@code path}, like every other refused path.
 */
final class ControlCharacterFirewall implements HttpFirewall {
  private final StrictHttpFirewall strict = new StrictHttpFirewall();

  @Override
  public FirewalledRequest getFirewalledRequest(HttpServletRequest request) {
    FirewalledRequest checked = strict.getFirewalledRequest(request);
    check(checked.getServletPath());
    check(checked.getPathInfo());
    return checked;
  }

  @Override
  public HttpServletResponse getFirewalledResponse(HttpServletResponse response) {
    return strict.getFirewalledResponse(response);
  }

  private static void check(String decodedPath) {
    if (decodedPath == null) {
      return;
    }
    for (int i = 0; i < decodedPath.length(); i++) {
      char c = decodedPath.charAt(i);
      if (Character.isISOControl(c)) {
        throw new RequestRejectedException(String.format(
            "The request was rejected because the decoded path contains the control character U+%04X", (int) c));
      }
    }
  }
}
