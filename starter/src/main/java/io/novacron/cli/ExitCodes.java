package io.novacron.cli;

/**
 * The exit statuses of {@code novacron}, documented in its help footer and docs/cli.md. Scripts
 * rely on them: keep them stable.
 */
final class ExitCodes {
  /** It worked; a watched run succeeded. */
  static final int OK = 0;
  /** A watched run failed or was cancelled, or the control plane failed (5xx). */
  static final int FAILED = 1;
  /** The control plane refused (409 conflict, 422), or a model does not fit (model plan). */
  static final int REFUSED = 2;
  /** sysexits' EX_USAGE: an unknown command or option, a bad value, or a request the API named as bad (400, 404). */
  static final int USAGE = 64;
  /** sysexits' EX_DATAERR: model plan's checkpoint cannot be used. */
  static final int BAD_CHECKPOINT = 65;
  /** sysexits' EX_UNAVAILABLE: the control plane cannot be reached. */
  static final int UNAVAILABLE = 69;
  /** sysexits' EX_NOPERM: no token, a refused token (401), or a role too low (403). */
  static final int NOPERM = 77;

  private ExitCodes() {}

  /** The exit status for an HTTP status the API answered with. */
  static int forHttpStatus(int status) {
    if (status / 100 == 2) {
      return OK;
    }
    return switch (status) {
      case 401, 403 -> NOPERM;
      case 409, 422 -> REFUSED;
      default -> status / 100 == 4 ? USAGE : FAILED;
    };
  }

  /** The footer of {@code novacron --help}. */
  static final String HELP = """
      Exit status:
        0   ok (a watched run succeeded)
        1   failed: a watched run failed or was cancelled, or a server error (5xx)
        2   refused (409, 422), or model plan: the model does not fit
        64  usage: unknown command or option, a bad value, or the API named
            the request bad (400, 404)
        65  model plan: the checkpoint cannot be used
        69  the control plane cannot be reached
        77  auth: no API token, a refused token (401), or a role too low (403)""";
}
