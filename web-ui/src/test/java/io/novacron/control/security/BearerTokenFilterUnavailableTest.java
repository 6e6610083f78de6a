package io.novacron.control.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;

/** The token check while PostgreSQL restarts: a 503 to retry, not a 500 and not a false 401. */
class BearerTokenFilterUnavailableTest {
  @Test
  void a_token_that_cannot_be_checked_gets_a_503_with_retry_after() throws Exception {
    ApiTokens tokens = mock(ApiTokens.class);
    when(tokens.authenticate(anyString())).thenThrow(new CannotGetJdbcConnectionException("Connection refused"));
    BearerTokenFilter filter = new BearerTokenFilter(tokens, new ApiProblems(new ObjectMapper()),
        SecurityContextHolder.getContextHolderStrategy());
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/runs");
    request.addHeader("Authorization", "Bearer nc_secret");
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();

    filter.doFilter(request, response, chain);

    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After")).isEqualTo("5");
    assertThat(response.getContentType()).isEqualTo("application/problem+json");
    assertThat(response.getContentAsString()).contains("PostgreSQL").contains("/api/v1/runs");
    assertThat(chain.getRequest()).as("the request went no further").isNull();
  }

  @Test
  void any_other_failure_is_not_dressed_up_as_an_outage() {
    ApiTokens tokens = mock(ApiTokens.class);
    when(tokens.authenticate(anyString())).thenThrow(new IllegalStateException("a bug"));
    BearerTokenFilter filter = new BearerTokenFilter(tokens, new ApiProblems(new ObjectMapper()),
        SecurityContextHolder.getContextHolderStrategy());
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/runs");
    request.addHeader("Authorization", "Bearer nc_secret");

    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain()))
        .isInstanceOf(IllegalStateException.class);
  }
}
