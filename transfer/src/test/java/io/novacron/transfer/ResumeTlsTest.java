package io.novacron.transfer;

import java.io.IOException;
import java.nio.file.Path;

/** {@link ResumeTest} over mutual TLS: a cut TLS stream resumes from the journal like a TCP one. */
class ResumeTlsTest extends ResumeTest {
  @Override
  TwoNodes newNodes(Path tmp) throws IOException {
    return TwoNodes.overTls(tmp);
  }
}
