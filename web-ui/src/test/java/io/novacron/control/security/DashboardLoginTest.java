package io.novacron.control.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.control.ControlPlaneTest;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Sign-in through the real form post, as the browser sends it (session cookie and CSRF token from
 * the login page): a good password gets in, wrong ones are counted, and after five the username
 * and the address are locked out, even for the right password. All in one test, because the
 * lockout of the loopback address would spill over into any other login test of this context.
 */
class DashboardLoginTest extends ControlPlaneTest {
  private static final Pattern CSRF = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;

  @Test
  void theDashboardNeedsASignInAndRepeatedFailuresLockItOut() throws Exception {
    HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    HttpResponse<String> dashboard = browser.send(get("/"), HttpResponse.BodyHandlers.ofString());
    assertThat(dashboard.statusCode()).as("the dashboard sends strangers to sign in").isEqualTo(302);
    assertThat(dashboard.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));

    Credentials operator = userWith(Role.OPERATOR);
    HttpResponse<String> good = signIn(browser, operator.account().username(), operator.password());
    assertThat(good.headers().firstValue("Location")).as("signed in").hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
    assertThat(browser.send(get("/"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    // A forged cross-site post from the signed-in browser lacks the session's CSRF token. (Vaadin
    // exempts only the login form itself; docs/security.md.)
    HttpResponse<String> forged = browser.send(HttpRequest.newBuilder(uri("/logout"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(forged.statusCode()).as("a post without the CSRF token is refused: %s", forged.headers().map())
        .isEqualTo(403);
    assertThat(browser.send(get("/"), HttpResponse.BodyHandlers.ofString()).statusCode())
        .as("and did not sign the user out").isEqualTo(200);

    Credentials victim = userWith(Role.VIEWER);
    HttpClient attacker = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> wrong = signIn(attacker, victim.account().username(), "wrong-" + i);
      assertThat(wrong.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login?error"));
    }
    HttpResponse<String> locked = signIn(attacker, victim.account().username(), victim.password());
    assertThat(locked.headers().firstValue("Location")).as("the right password no longer helps")
        .hasValueSatisfying(l -> assertThat(l).endsWith("/login?error"));

    List<String> outcomes = jdbc.sql("select outcome || ' ' || coalesce(detail, '') from audit_events "
            + "where action = 'login' and actor = :user order by id")
        .param("user", victim.account().username()).query(String.class).list();
    assertThat(outcomes).hasSize(6);
    assertThat(outcomes.subList(0, 5)).allMatch(o -> o.equals("refused wrong username or password"));
    assertThat(outcomes.get(5)).startsWith("refused locked out").contains("Try again in");
    assertThat(jdbc.sql("select count(*) from audit_events where action = 'login' and actor = :user and outcome = 'accepted'")
        .param("user", operator.account().username()).query(Long.class).single()).isEqualTo(1);
  }

  /** Loads the login page for its CSRF token, then posts the form as LoginForm does. */
  private HttpResponse<String> signIn(HttpClient browser, String username, String password) throws Exception {
    HttpResponse<String> page = browser.send(get("/login"), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    Matcher csrf = CSRF.matcher(page.body());
    assertThat(csrf.find()).as("the login page carries a CSRF token:\n%s", page.body()).isTrue();
    String form = "username=" + encode(username) + "&password=" + encode(password) + "&_csrf=" + encode(csrf.group(1));
    HttpResponse<String> response = browser.send(HttpRequest.newBuilder(uri("/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
    return response;
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(uri(path)).GET().build();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
