package io.novacron.workflows.console;

/**
 * A console read sent to one node.
 *
 * @param node the node whose host agent holds the VM's console log
 * @param read what to read there
 */
public record ConsoleReadRequest(String node, ConsoleRequest read) {}
