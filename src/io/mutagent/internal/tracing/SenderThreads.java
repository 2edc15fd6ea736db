package io.mutagent.internal.tracing;

import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * Starts a batcher's sender: a virtual thread on Java 21 and later (found at run time: the jar
 * stays Java 11), else a daemon platform thread; always one of the SDK's own, never a pool the
 * JVM shares. Internal.
 */
final class SenderThreads {
  /** {@code Thread.ofVirtual()} and the builder's {@code name(String)} and {@code start(Runnable)}, or null before Java 21. */
  private static final Method @Nullable [] VIRTUAL = virtual();

  private SenderThreads() {}

  private static Method @Nullable [] virtual() {
    try {
      Class<?> builderType = Class.forName("java.lang.Thread$Builder");
      return new Method[] {Thread.class.getMethod("ofVirtual"), builderType.getMethod("name", String.class),
          builderType.getMethod("start", Runnable.class)};
    } catch (ReflectiveOperationException | RuntimeException beforeJava21) {
      return null;
    }
  }

  /** Starts {@code task} on a new thread named {@code name}. */
  static void start(String name, Runnable task) {
    Method[] virtual = VIRTUAL;
    if (virtual != null) {
      try {
        Object builder = virtual[1].invoke(virtual[0].invoke(null), name);
        virtual[2].invoke(builder, task);
        return;
      } catch (ReflectiveOperationException | RuntimeException notAvailable) {
        // Fall through to a platform thread.
      }
    }
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }
}
