package io.novacron.transfer.codec;

import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHashFactory;

/**
 * lz4 and XXH64 through JNI where the library loads, pure Java otherwise.
 *
 * <p>Why not {@code fastestInstance()}: it takes JNI only when lz4-java was loaded by the system
 * class loader. The node agent and the benchmark run from Spring Boot executable jars, whose
 * classes come from a nested class loader, so it silently picked the pure-Java safe lz4 (about
 * half the speed; JFR of the transfer bench showed {@code LZ4JavaSafeCompressor} as the hottest
 * frame, issue 17). The check guards against two class loaders loading the native library; that
 * case fails with an error here and falls back to Java as well.
 */
public final class Natives {
  private static final LZ4Factory LZ4 = lz4Factory();
  private static final XXHashFactory XXHASH = xxhashFactory();

  private Natives() {}

  public static LZ4Factory lz4() {
    return LZ4;
  }

  public static XXHashFactory xxhash() {
    return XXHASH;
  }

  private static LZ4Factory lz4Factory() {
    try {
      return LZ4Factory.nativeInstance();
    } catch (Throwable e) {
      return LZ4Factory.fastestJavaInstance();
    }
  }

  private static XXHashFactory xxhashFactory() {
    try {
      return XXHashFactory.nativeInstance();
    } catch (Throwable e) {
      return XXHashFactory.fastestJavaInstance();
    }
  }
}
