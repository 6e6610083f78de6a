package io.novacron.transfer;

import java.io.IOException;
import java.nio.file.Path;

/** {@link DeltaTest} over mutual TLS: base hashes and copy runs travel the same inside TLS. */
class DeltaTlsTest extends DeltaTest {
  @Override
  TwoNodes newNodes(Path tmp) throws IOException {
    return TwoNodes.overTls(tmp);
  }
}
