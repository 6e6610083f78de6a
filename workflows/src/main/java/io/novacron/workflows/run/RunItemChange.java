package io.novacron.workflows.run;

/**
 * The new state of one item of a parent run.
 *
 * @param runId the parent run
 * @param item the item (a VM name)
 * @param seq the item's place in the plan, from 0
 * @param state {@code planned}, {@code moving}, {@code moved} or {@code stayed}
 * @param target the node it goes or went to; null when none
 * @param childRun the run that moves it; null when none
 * @param detail what happened, in words
 * @param version the change's number in its run, counting up: the record keeps the highest (workflow
 *     time cannot order them, it stands still within one workflow task)
 * @param atMillis workflow time of the change
 */
public record RunItemChange(String runId, String item, int seq, String state, String target, String childRun,
    String detail, long version, long atMillis) {}
