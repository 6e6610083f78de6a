package io.novacron.control.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategyConfiguration;
import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import io.novacron.control.audit.Actor;
import io.novacron.control.audit.ApiAuditFilter;
import io.novacron.control.audit.AuditEntry;
import io.novacron.control.audit.AuditLog;
import io.novacron.control.audit.Outcome;
import io.novacron.control.ui.LoginView;
import java.time.Clock;
import java.util.UUID;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Three filter chains (docs/security.md):
 *
 * <ol>
 *   <li>{@code /api/**}: stateless bearer tokens, roles by HTTP method ({@link ApiAccessRules}),
 *       problem+json 401/403. No CSRF protection: browsers never attach a bearer token on their
 *       own, so a forged cross-site request carries no credentials.
 *   <li>{@code /actuator/**} and {@code /v3/api-docs}: health, info and the OpenAPI document open;
 *       Prometheus open unless {@code novacron.security.prometheus-open=false}; the rest needs a token.
 *   <li>everything else: the Vaadin dashboard with a session, form login at /login and Spring's
 *       CSRF protection as Vaadin configures it.
 * </ol>
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(SecuritySettings.class)
// Vaadin 24 needs its VaadinSession-aware context holder imported by hand (Vaadin's docs).
@Import(VaadinAwareSecurityContextHolderStrategyConfiguration.class)
class SecurityConfig {

  @Bean
  PasswordEncoder passwordEncoder() {
    return new BCryptPasswordEncoder();
  }

  @Bean
  LoginThrottle loginThrottle(SecuritySettings settings, Clock clock, JdbcLoginFailures failures) {
    return new LoginThrottle(settings.login(), clock, failures);
  }

  @Bean
  ThrottledLoginProvider loginProvider(UserAccounts users, PasswordEncoder encoder, LoginThrottle throttle,
      AuditLog audit, Clock clock) {
    return new ThrottledLoginProvider(users, encoder, throttle, audit, clock);
  }

  @Bean
  ApiProblems apiProblems(ObjectMapper json) {
    return new ApiProblems(json);
  }

  @Bean
  @Order(1)
  SecurityFilterChain apiChain(HttpSecurity http, ApiTokens tokens, ApiProblems problems,
      SecurityContextHolderStrategy contexts) throws Exception {
    return stateless(http.securityMatcher(path("/api/**")), tokens, problems, contexts)
        .authorizeHttpRequests(rules -> rules.anyRequest().access(ApiAccessRules::decide))
        .build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain operationsChain(HttpSecurity http, ApiTokens tokens, ApiProblems problems,
      SecuritySettings settings, SecurityContextHolderStrategy contexts) throws Exception {
    RequestMatcher open = new OrRequestMatcher(path("/actuator/health"), path("/actuator/health/**"),
        path("/actuator/info"), path("/v3/api-docs"), path("/v3/api-docs/**"));
    return stateless(http.securityMatcher(new OrRequestMatcher(path("/actuator/**"), path("/v3/api-docs"), path("/v3/api-docs/**"))),
            tokens, problems, contexts)
        .authorizeHttpRequests(rules -> {
          rules.requestMatchers(open).permitAll();
          if (settings.prometheusOpen()) {
            rules.requestMatchers(path("/actuator/prometheus")).permitAll();
          }
          rules.anyRequest().access(ApiAccessRules::decide);
        })
        .build();
  }

  @Bean
  @Order(3)
  SecurityFilterChain dashboardChain(HttpSecurity http, AuditLog audit, Clock clock) throws Exception {
    http.with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin
        .loginView(LoginView.class)
        .addLogoutHandler((request, response, authentication) -> {
          if (authentication != null) {
            audit.record(new AuditEntry(clock.instant(), Actor.user(authentication.getName()), "logout",
                authentication.getName(), Outcome.ACCEPTED, null, null, UUID.randomUUID().toString(),
                request.getRemoteAddr()));
          }
        }));
    return http.build();
  }

  /** Before Spring Security's filters, so that their 401s and 403s are audited too. */
  @Bean
  FilterRegistrationBean<ApiAuditFilter> apiAuditFilter(AuditLog audit, ObjectMapper json, Clock clock) {
    FilterRegistrationBean<ApiAuditFilter> registration = new FilterRegistrationBean<>(new ApiAuditFilter(audit, json, clock));
    registration.addUrlPatterns("/api/*");
    registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER - 1);
    return registration;
  }

  private static HttpSecurity stateless(HttpSecurity http, ApiTokens tokens, ApiProblems problems,
      SecurityContextHolderStrategy contexts) throws Exception {
    return http
        .csrf(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .addFilterBefore(new BearerTokenFilter(tokens, problems, contexts), AnonymousAuthenticationFilter.class)
        .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems));
  }

  private static RequestMatcher path(String pattern) {
    return PathPatternRequestMatcher.withDefaults().matcher(pattern);
  }
}
