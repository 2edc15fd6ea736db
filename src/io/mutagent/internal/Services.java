package io.mutagent.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a client makes its namespace classes, whose constructors are private (only the client
 * makes them, and no internal type shows in their public API): through each class's one
 * constructor, which takes the client's {@link ServiceContext}. The classes live in this module,
 * so no package needs opening for it. Internal.
 */
public final class Services {
  private static final Map<Class<?>, Constructor<?>> CONSTRUCTORS = new ConcurrentHashMap<>();

  private Services() {}

  /**
   * Makes a namespace object over the client's context.
   *
   * @throws IllegalStateException if the class has no such constructor (a generation error)
   */
  public static <S> S create(Class<S> type, ServiceContext context) {
    try {
      return type.cast(CONSTRUCTORS.computeIfAbsent(type, Services::constructor).newInstance(context));
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException ? (RuntimeException) cause
          : new IllegalStateException(type.getName() + " could not be made", cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type.getName() + " could not be made", e);
    }
  }

  private static Constructor<?> constructor(Class<?> type) {
    try {
      Constructor<?> constructor = type.getDeclaredConstructor(ServiceContext.class);
      constructor.setAccessible(true);
      return constructor;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(type.getName() + " has no constructor taking a ServiceContext", e);
    }
  }
}
