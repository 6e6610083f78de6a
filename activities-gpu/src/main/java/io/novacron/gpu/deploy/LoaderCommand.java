package io.novacron.gpu.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

/**
 * How this agent starts a reference loader: its own Java and its own class path, so the loader is
 * always the agent's version. From the exec jar (Spring Boot's nested layout) the class is reached
 * through {@code PropertiesLauncher}, as the shard benchmark is; from a plain class path (tests,
 * IDE) directly.
 *
 * @param java the Java executable
 * @param launch the words after it up to the loader's own arguments
 */
public record LoaderCommand(String java, List<String> launch) {
  static final String BOOT_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

  /** For the running JVM. */
  public static LoaderCommand current() {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String classPath = System.getProperty("java.class.path");
    String main = ReferenceLoader.class.getName();
    if (!classPath.contains(File.pathSeparator) && classPath.endsWith(".jar") && isBootJar(Path.of(classPath))) {
      return new LoaderCommand(java, List.of("-Dloader.main=" + main, "-cp", classPath, BOOT_LAUNCHER));
    }
    return new LoaderCommand(java, List.of("-cp", classPath, main));
  }

  /** The {@code {loader}} template value: the words joined by NUL (see CommandTemplate). */
  public String loaderValue() {
    return String.join("\u0000", launch);
  }

  private static boolean isBootJar(Path jar) {
    if (!Files.isRegularFile(jar)) {
      return false;
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      var manifest = file.getManifest();
      return manifest != null && manifest.getMainAttributes().getValue("Start-Class") != null;
    } catch (IOException e) {
      return false;
    }
  }
}
