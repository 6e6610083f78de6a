package io.novacron.workflows.fleet;

/**
 * A VM a fleet plan leaves where it is, and why.
 *
 * @param vm the VM
 * @param reason why it stays, in words that say what the operator can do about it
 */
public record Stay(String vm, String reason) {}
