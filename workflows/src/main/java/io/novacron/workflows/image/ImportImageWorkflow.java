package io.novacron.workflows.image;

import io.novacron.workflows.run.RunStatus;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Imports an image registered by node and path into that node's library: its agent checks the
 * file's SHA-256 and copies it in, so the node then holds (and announces) it. Started by
 * {@code POST /api/v1/images} for such a registration. Phase: import. Idempotent: an image the
 * library holds already is left as it is.
 *
 * <pre>
 * temporal workflow start --task-queue novacron.control --type ImportImage --workflow-id image-import-deb \
 *   --input '{"kind":"IMPORT","image":"deb","format":"raw","sha256":"...","node":"lab-a","path":"/srv/deb.img"}'
 * </pre>
 */
@WorkflowInterface
public interface ImportImageWorkflow {
  String TYPE = "ImportImage";

  /**
   * @param source an {@link ImageSource.Kind#IMPORT} source naming the node and the file
   * @throws io.temporal.failure.ApplicationFailure InvalidSpec (not an import), ImageVerifyFailed
   *     (a missing file or another digest: nothing landed), or the agent's failure
   */
  @WorkflowMethod(name = TYPE)
  void importImage(ImageSource source);

  /** Phase, node and timeline of the run. */
  @QueryMethod
  RunStatus status();
}
