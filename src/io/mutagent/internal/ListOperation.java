package io.mutagent.internal;

import io.mutagent.internal.http.CallHeaders;
import io.mutagent.models.PageInfo;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import retrofit2.Call;

/**
 * One list operation as a pager walks it, so that the generated namespace classes need no code of
 * their own per pager: page n is the operation's Retrofit method (found by name, unique in a
 * binding) called again with the same arguments and the query's {@code page} set to n; a page's
 * items and page info are read from its envelope ({@code {data, pagination}}) through the
 * envelope's accessors. Internal.
 */
final class ListOperation {
  /** The methods of each Retrofit binding (a proxy class) by name. */
  private static final Map<Class<?>, Map<String, Method>> METHODS = new ConcurrentHashMap<>();

  private final Object api;
  private final Method method;
  private final Object[] arguments;
  private final Method items;
  private final Method pagination;

  /**
   * Finds the operation and its envelope's accessors.
   *
   * @throws IllegalStateException if the binding has no such method or envelope (a generation error)
   */
  ListOperation(Object api, String operation, String itemsField, Object[] arguments) {
    this.api = api;
    this.arguments = arguments;
    Method found = METHODS.computeIfAbsent(api.getClass(), ListOperation::methodsByName).get(operation);
    if (found == null) {
      throw new IllegalStateException(api.getClass().getName() + " has no method " + operation);
    }
    this.method = found;
    Type call = found.getGenericReturnType();
    Type envelope = call instanceof ParameterizedType ? ((ParameterizedType) call).getActualTypeArguments()[0] : null;
    if (!(envelope instanceof Class)) {
      throw new IllegalStateException(operation + " does not return a Call of an envelope class");
    }
    try {
      this.items = ((Class<?>) envelope).getMethod(itemsField);
      this.pagination = ((Class<?>) envelope).getMethod("pagination");
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(operation + "'s envelope has no " + itemsField + "() or pagination()", e);
    }
  }

  /** Returns the page the query asks for, or 1. */
  int firstPage() {
    Object page = query().get("page");
    return page instanceof Integer ? (Integer) page : 1;
  }

  /** Returns the Retrofit call of page {@code number}, with these headers. */
  Call<?> call(int number, CallHeaders headers) {
    Object[] withPage = Arrays.copyOf(arguments, arguments.length + 1);
    withPage[arguments.length - 1] = query().with("page", number);
    withPage[arguments.length] = headers;
    return (Call<?>) invoke(method, api, withPage);
  }

  /** Returns the items of a page's envelope. */
  @SuppressWarnings("unchecked") // the envelope's items accessor returns List<T>
  <T> List<T> items(Object envelope) {
    return (List<T>) invoke(items, envelope);
  }

  /** Returns the page info of a page's envelope. */
  PageInfo pagination(Object envelope) {
    return (PageInfo) invoke(pagination, envelope);
  }

  private QueryValues query() {
    return (QueryValues) arguments[arguments.length - 1];
  }

  private static Object invoke(Method method, Object target, Object... arguments) {
    try {
      return method.invoke(target, arguments);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException ? (RuntimeException) cause
          : new IllegalStateException(method.getName() + " failed", cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(method.getName() + " is not accessible", e);
    }
  }

  private static Map<String, Method> methodsByName(Class<?> binding) {
    Map<String, Method> methods = new HashMap<>();
    for (Class<?> api : binding.getInterfaces()) {
      for (Method method : api.getMethods()) {
        methods.put(method.getName(), method);
      }
    }
    return methods;
  }
}
