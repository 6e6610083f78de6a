package io.novacron.transfer.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;

class NativesTest {
  @Test
  void jni_is_used_wherever_the_library_loads() {
    boolean lz4Native;
    try {
      LZ4Factory.nativeInstance();
      lz4Native = true;
    } catch (Throwable e) {
      lz4Native = false;
    }
    assertThat(Natives.lz4()).isSameAs(lz4Native ? LZ4Factory.nativeInstance() : LZ4Factory.fastestJavaInstance());
    boolean xxNative;
    try {
      XXHashFactory.nativeInstance();
      xxNative = true;
    } catch (Throwable e) {
      xxNative = false;
    }
    assertThat(Natives.xxhash()).isSameAs(xxNative ? XXHashFactory.nativeInstance() : XXHashFactory.fastestJavaInstance());
  }

  @Test
  void fastest_instance_alone_would_miss_jni_under_a_nested_class_loader() throws Exception {
    // What a Spring Boot executable jar does: lz4-java's classes come from a child class loader.
    URL lz4Jar = LZ4Factory.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader nested = new URLClassLoader(new URL[] {lz4Jar}, null)) {
      Class<?> factory = nested.loadClass(LZ4Factory.class.getName());
      Object fastest = factory.getMethod("fastestInstance").invoke(null);
      assertThat(fastest.toString()).doesNotContain("JNI");
    }
  }
}
