package io.novacron.workflows.run;

/**
 * The first record of a run, written by the workflow itself so that runs started from the REST API,
 * the CLI and the plain Temporal CLI are all recorded the same way.
 *
 * @param runId the workflow id
 * @param type the workflow type, e.g. {@code ProvisionVm}
 * @param subject what the run acts on, e.g. the VM name
 * @param inputJson the workflow input as JSON, for the record
 * @param startedAtMillis workflow time when the run started
 */
public record RunStarted(
    String runId, String type, String subject, String inputJson, long startedAtMillis) {}
