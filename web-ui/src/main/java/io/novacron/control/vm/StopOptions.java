package io.novacron.control.vm;

/**
 * The optional body of {@code POST /api/v1/vms/{name}/stop}.
 *
 * @param graceSeconds how long the guest may take to shut down before it is powered off (0-3600,
 *     default 60; 0 powers it off at once)
 */
record StopOptions(Integer graceSeconds) {}
