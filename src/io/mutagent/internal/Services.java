package io.mutagent.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * How a client makes its namespace classes, whose constructors are private (only the client
 * makes them, and no internal type shows in their public API): each namespace class registers its
 * constructor here when it is first initialized. Internal.
 */
public final class Services {
  private static final Map<Class<?>, Function<ServiceContext, ?>> FACTORIES = new ConcurrentHashMap<>();

  private Services() {}

  /** Registers a namespace class's constructor; called by the class's own static initializer. */
  public static <S> void register(Class<S> type, Function<ServiceContext, S> factory) {
    FACTORIES.put(type, factory);
  }

  /**
   * Makes a namespace object over the client's context.
   *
   * @throws IllegalStateException if the class registered no constructor (a generation error)
   */
  public static <S> S create(Class<S> type, ServiceContext context) {
    Function<ServiceContext, ?> factory = FACTORIES.get(type);
    if (factory == null) {
      try {
        Class.forName(type.getName(), true, type.getClassLoader()); // runs its registration
      } catch (ClassNotFoundException impossible) {
        throw new IllegalStateException(type.getName() + " cannot be initialized", impossible);
      }
      factory = FACTORIES.get(type);
      if (factory == null) {
        throw new IllegalStateException(type.getName() + " registered no constructor with Services");
      }
    }
    return type.cast(factory.apply(context));
  }
}
