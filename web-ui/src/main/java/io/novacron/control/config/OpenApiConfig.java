package io.novacron.control.config;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the API's one authentication scheme in /v3/api-docs: a bearer token on every operation
 * (roles by method: docs/security.md).
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
    info = @Info(title = "NovaCron control plane API", version = "v1",
        description = "Every /api/v1 call needs 'Authorization: Bearer <token>'. GET needs role viewer; "
            + "POST, PUT, PATCH and DELETE need operator; /api/v1/users and /api/v1/tokens need admin; "
            + "GET /api/v1/audit needs operator. Every error is application/problem+json (schema Problem); "
            + "a 400 names each bad parameter or field under errors (docs/api.md)."),
    security = @SecurityRequirement(name = OpenApiConfig.BEARER))
@SecurityScheme(name = OpenApiConfig.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
    description = "An API token (nct_...), created by an admin with POST /api/v1/tokens")
class OpenApiConfig {
  static final String BEARER = "bearerToken";

  /** Every status code each operation answers, errors as problem+json (docs/api.md). */
  @Bean
  ApiResponseCodes apiResponseCodes() {
    return new ApiResponseCodes();
  }

  /** The values of a deployment's {@code format}. */
  @Bean
  DeployFormatSchema deployFormatSchema() {
    return new DeployFormatSchema();
  }

  /** Raw JSON columns (NodeView.gpus, labels, VmReply.nics, ...) typed as served, not as strings. */
  @Bean
  RawJsonProperties rawJsonProperties() {
    return new RawJsonProperties();
  }
}
