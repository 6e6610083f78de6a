package io.novacron.control.audit;

import java.util.Locale;

/** Who did something: a dashboard user, an API token (by name), nobody known, or the system itself. */
public record Actor(Kind kind, String name) {
  public enum Kind {
    USER, TOKEN, ANONYMOUS, SYSTEM;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final Actor SYSTEM = new Actor(Kind.SYSTEM, "novacron");

  public static Actor user(String username) {
    return new Actor(Kind.USER, username);
  }

  public static Actor token(String tokenName) {
    return new Actor(Kind.TOKEN, tokenName);
  }

  /** Someone unauthenticated; {@code what} says what they presented ("no credentials", "invalid token"). */
  public static Actor anonymous(String what) {
    return new Actor(Kind.ANONYMOUS, what);
  }

  @Override
  public String toString() {
    return kind.id() + " " + name;
  }
}
