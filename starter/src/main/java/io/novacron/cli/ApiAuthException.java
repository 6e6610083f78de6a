package io.novacron.cli;

import java.io.IOException;

/** The control plane did not accept the CLI's token (401) or its role (403). */
final class ApiAuthException extends IOException {
  ApiAuthException(String message) {
    super(message);
  }
}
