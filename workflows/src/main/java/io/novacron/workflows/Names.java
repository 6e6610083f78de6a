package io.novacron.workflows;

import java.util.regex.Pattern;

/**
 * What a name may be, once for every process: the API's validation, the agents' options and the
 * agents' image library check the same rules.
 */
public final class Names {
  /**
   * VM and node names: 1-63 lower-case letters, digits and '-', starting with a letter. Also a safe
   * libvirt domain name, queue suffix and file name: never a path, never XML markup.
   */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  /** A libvirt network name as NovaCron accepts it (libvirt itself allows more). */
  public static final Pattern NETWORK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** Base-image names: a directory in a node's image library, so never a path either. */
  public static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  private Names() {}
}
