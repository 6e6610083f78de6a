package io.novacron.host.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.libvirt.Domain;

/** Lifecycle events from libvirt's test driver reach the callback that announces the node early. */
class DomainEventsTest {
  @Test
  void definingAndUndefiningADomainAreEachReported() throws Exception {
    assertThat(DomainEvents.startLoop()).isTrue();
    String name = "events-" + UUID.randomUUID().toString().substring(0, 8);
    try (LibvirtSession libvirt = new LibvirtSession("test:///default")) {
      Semaphore changes = new Semaphore(0);
      DomainEvents.onChange(libvirt, changes::release);

      Domain domain = libvirt.call(c -> c.domainDefineXML("<domain type='test'><name>" + name + "</name>"
          + "<memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>"));
      assertThat(changes.tryAcquire(10, TimeUnit.SECONDS)).as("defined").isTrue();
      domain.undefine();
      assertThat(changes.tryAcquire(10, TimeUnit.SECONDS)).as("undefined").isTrue();
    }
  }
}
