package io.novacron.control.run;

/** A run that will not take a resolution now; the message says why, in the run's words where it gave them. */
class ResolutionRefusedException extends RuntimeException {
  ResolutionRefusedException(String message) {
    super(message);
  }
}
