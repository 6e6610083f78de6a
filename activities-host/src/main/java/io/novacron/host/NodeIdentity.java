package io.novacron.host;

/**
 * Facts about the node that do not change while the agent runs.
 *
 * @param node node name
 * @param arch guest architecture (the host's)
 * @param domainType the domain type guests get here
 */
public record NodeIdentity(String node, String arch, String domainType) {}
