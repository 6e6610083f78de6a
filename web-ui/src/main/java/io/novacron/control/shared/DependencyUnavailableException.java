package io.novacron.control.shared;

/** A request could not be served because {@link #dependency()} is unreachable; answered 503. */
public final class DependencyUnavailableException extends RuntimeException {
  private final String dependency;

  public DependencyUnavailableException(String dependency, Throwable cause) {
    super(dependency + " unavailable: " + cause.getMessage(), cause);
    this.dependency = dependency;
  }

  public String dependency() {
    return dependency;
  }
}
