package io.novacron.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module graph of docs/architecture.md, checked over every module's main classes:
 *
 * <pre>
 * starter (CLI) ---------------------------------------&gt; workflows, checkpoint
 * web-ui (control plane) ----------------------------&gt; workflows, runtime
 * activities-host -----------------------------------&gt; workflows, runtime, transfer
 * activities-gpu ------------------------------------&gt; workflows, runtime, transfer, checkpoint
 * runtime, transfer, checkpoint ---------------------&gt; workflows
 * workflows: contracts, workflow code, pure decisions; no I/O
 * </pre>
 */
@AnalyzeClasses(packages = "io.novacron", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String CONTRACTS = "io.novacron.workflows..";
  private static final String RUNTIME = "io.novacron.runtime..";
  private static final String TRANSFER = "io.novacron.transfer..";
  private static final String CHECKPOINT = "io.novacron.checkpoint..";
  private static final String HOST_AGENT = "io.novacron.host..";
  private static final String GPU_AGENT = "io.novacron.gpu..";
  private static final String CONTROL_PLANE = "io.novacron.control..";
  private static final String CLI = "io.novacron.cli..";
  private static final String BENCH = "io.novacron.bench..";

  @ArchTest
  static final ArchRule contracts_know_no_agent_control_plane_or_plumbing = noClasses()
      .that().resideInAPackage(CONTRACTS)
      .should().dependOnClassesThat().resideInAnyPackage(HOST_AGENT, GPU_AGENT, CONTROL_PLANE, CLI,
          RUNTIME, TRANSFER, CHECKPOINT, BENCH)
      .because("workflows holds the contracts every process shares; it depends on none of them");

  @ArchTest
  static final ArchRule contracts_do_no_io = noClasses()
      .that().resideInAPackage(CONTRACTS)
      .should().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.net..", "java.sql..",
          "javax.sql..", "org.libvirt..", "com.sun.net.httpserver..", "io.micrometer..", "io.grpc..")
      .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
      .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileInputStream")
      .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileOutputStream")
      .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder")
      .because("workflow code replays deterministically and decisions are pure; I/O lives in activities");

  @ArchTest
  static final ArchRule agents_do_not_import_the_control_plane = noClasses()
      .that().resideInAnyPackage(HOST_AGENT, GPU_AGENT)
      .should().dependOnClassesThat().resideInAnyPackage(CONTROL_PLANE, CLI)
      .because("Temporal is the only channel between the control plane and the nodes");

  @ArchTest
  static final ArchRule agents_do_not_import_each_other = noClasses()
      .that().resideInAPackage(GPU_AGENT)
      .should().dependOnClassesThat().resideInAPackage(HOST_AGENT)
      .because("a GPU node needs no host agent; what both use is in transfer and runtime");

  @ArchTest
  static final ArchRule host_agent_does_not_import_the_gpu_agent = noClasses()
      .that().resideInAPackage(HOST_AGENT)
      .should().dependOnClassesThat().resideInAnyPackage(GPU_AGENT, CHECKPOINT);

  @ArchTest
  static final ArchRule control_plane_imports_no_agent_and_never_libvirt = noClasses()
      .that().resideInAPackage(CONTROL_PLANE)
      .should().dependOnClassesThat().resideInAnyPackage(HOST_AGENT, GPU_AGENT, TRANSFER, CHECKPOINT,
          CLI, "org.libvirt..")
      .because("the control plane reaches the nodes through Temporal only");

  @ArchTest
  static final ArchRule cli_imports_no_agent_or_control_plane = noClasses()
      .that().resideInAPackage(CLI)
      .should().dependOnClassesThat().resideInAnyPackage(HOST_AGENT, GPU_AGENT, CONTROL_PLANE, TRANSFER,
          RUNTIME, "org.libvirt..")
      .because("the CLI talks to the REST API; it reads checkpoints with the checkpoint module alone");

  @ArchTest
  static final ArchRule shared_modules_know_no_process = noClasses()
      .that().resideInAnyPackage(RUNTIME, TRANSFER, CHECKPOINT)
      .should().dependOnClassesThat().resideInAnyPackage(HOST_AGENT, GPU_AGENT, CONTROL_PLANE, CLI, BENCH)
      .because("runtime, transfer and checkpoint are the parts processes share, not parts of one");

  @ArchTest
  static final ArchRule nothing_runs_the_benchmarks = noClasses()
      .that().resideOutsideOfPackage(BENCH)
      .should().dependOnClassesThat().resideInAPackage(BENCH)
      .because("benchmarks stay out of the agents' and control plane's jars");
}
