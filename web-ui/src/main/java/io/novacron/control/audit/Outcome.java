package io.novacron.control.audit;

import java.util.Locale;

/** How an audited action ended. */
public enum Outcome {
  /** Done, or started (a run launched is accepted; how the run ends is in the run record). */
  ACCEPTED,
  /** Not done because of who asked or what they sent: a 4xx, a wrong password, a lockout. */
  REFUSED,
  /** Not done because something broke on our side: a 5xx. */
  FAILED;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The outcome an HTTP status stands for. */
  public static Outcome ofStatus(int status) {
    return status >= 500 ? FAILED : status >= 400 ? REFUSED : ACCEPTED;
  }
}
