package io.mutagent.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.RequestOptions;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One method shape from the first version of an operation on: each operation of the SDK has the
 * same four methods on the plain, async and raw-response views, ids and body first, then its
 * params, its RequestOptions, or both; so an optional query parameter the API adds is a setter of
 * the params class and removes no method (SpecFixturesTest shows that on a regenerated client).
 * The waiting methods of a job-starting operation ({@code x-mutagent-job}) are on the plain and
 * async views only: {@code <op>AndWait} has the operation's four shapes with {@code WaitOptions}
 * last, {@code waitFor<Job>} takes the id, optionally {@code RequestOptions}, then {@code WaitOptions}.
 */
class MethodShapeTest {
  private static final String SERVICES = "io.mutagent.services.";

  @Test
  void everyOperationHasTheFourMethodsOnEveryView() throws Exception {
    List<String> problems = new ArrayList<>();
    Set<String> operations = new TreeSet<>();
    for (String tag : tags()) {
      Class<?> blocking = Class.forName(SERVICES + tag + "Service");
      Class<?> async = Class.forName(SERVICES + tag + "ServiceAsync");
      Map<String, List<Method>> plain = byName(blocking);
      for (Class<?> view : List.of(blocking, async, nested(blocking, "WithRawResponse"), nested(async, "WithRawResponse"))) {
        Map<String, List<Method>> methods = byName(view);
        for (Map.Entry<String, List<Method>> group : methods.entrySet()) {
          String where = view.getSimpleName() + "." + group.getKey();
          if (group.getKey().startsWith("waitFor")) {
            checkWaitFor(where, group.getValue(), problems);
          } else if (group.getKey().endsWith("AndWait")) {
            checkFour(where, withoutWaitOptions(where, group.getValue(), problems), tag, problems);
          } else {
            checkFour(where, group.getValue(), tag, problems);
          }
        }
        boolean raw = view.getSimpleName().equals("WithRawResponse");
        Set<String> expected = plain.keySet().stream()
            .filter(name -> !(raw && (name.endsWith("AutoPaging") || isWaiting(name))))
            .collect(Collectors.toCollection(TreeSet::new));
        if (!methods.keySet().equals(expected)) {
          problems.add(view.getName() + " has the operations " + methods.keySet() + ", the blocking view " + expected);
        }
      }
      plain.keySet().stream().filter(name -> !name.endsWith("AutoPaging") && !isWaiting(name)).forEach(operations::add);
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    List<String> specOperations = new ArrayList<>();
    SpecRulesTest.operations().forEach(op -> specOperations.add(op.operation().getOperationId()));
    assertTrue(operations.containsAll(specOperations),
        "operations of the spec without methods: " + new TreeSet<>(specOperations).stream()
            .filter(id -> !operations.contains(id)).collect(Collectors.toList()));
  }

  private static boolean isWaiting(String name) {
    return name.startsWith("waitFor") || name.endsWith("AndWait");
  }

  /** Returns the overloads as if their last parameter, which must be WaitOptions, were not there. */
  private static List<Method> withoutWaitOptions(String where, List<Method> overloads, List<String> problems) {
    for (Method m : overloads) {
      Class<?>[] types = m.getParameterTypes();
      if (types.length == 0 || types[types.length - 1] != io.mutagent.jobs.WaitOptions.class) {
        problems.add(where + ": " + Arrays.toString(types) + " does not end with WaitOptions");
      }
    }
    return overloads;
  }

  /** A resumed wait: (id, WaitOptions) and (id, RequestOptions, WaitOptions), one return type. */
  private static void checkWaitFor(String where, List<Method> overloads, List<String> problems) {
    Set<List<Class<?>>> expected = Set.of(List.of(String.class, io.mutagent.jobs.WaitOptions.class),
        List.of(String.class, RequestOptions.class, io.mutagent.jobs.WaitOptions.class));
    Set<List<Class<?>>> actual = overloads.stream().map(m -> Arrays.<Class<?>>asList(m.getParameterTypes()))
        .collect(Collectors.toSet());
    if (!actual.equals(expected) || overloads.stream().map(Method::getReturnType).distinct().count() != 1) {
      problems.add(where + ": overloads " + names(actual) + ", wanted " + names(expected) + " with one return type");
    }
  }

  /** The four overloads of one name: the shortest, then with params, with options, and with both. */
  private static void checkFour(String where, List<Method> overloads, String tag, List<String> problems) {
    Method shortest = overloads.stream().min((a, b) -> a.getParameterCount() - b.getParameterCount()).orElseThrow();
    List<Class<?>> ids = parameters(shortest);
    Class<?> params = overloads.stream().flatMap(m -> Arrays.stream(m.getParameterTypes()))
        .filter(type -> type.getEnclosingClass() != null && type.getEnclosingClass().getName().equals(SERVICES + tag + "Params"))
        .findFirst().orElse(null);
    if (params == null) {
      problems.add(where + ": no overload takes a " + tag + "Params class");
      return;
    }
    Set<List<Class<?>>> expected = Set.of(ids, with(ids, params), with(ids, RequestOptions.class),
        with(with(ids, params), RequestOptions.class));
    Set<List<Class<?>>> actual = overloads.stream().map(MethodShapeTest::parameters).collect(Collectors.toSet());
    if (!actual.equals(expected) || overloads.size() != 4) {
      problems.add(where + ": overloads " + names(actual) + ", wanted " + names(expected));
    }
    Set<Class<?>> returns = overloads.stream().map(Method::getReturnType).collect(Collectors.toSet());
    if (returns.size() != 1) {
      problems.add(where + ": the overloads return different types " + returns);
    }
  }

  /** A method's parameter types, but a trailing WaitOptions (the waiting methods' last argument). */
  private static List<Class<?>> parameters(Method m) {
    List<Class<?>> types = new ArrayList<>(Arrays.asList(m.getParameterTypes()));
    if (!types.isEmpty() && types.get(types.size() - 1) == io.mutagent.jobs.WaitOptions.class) {
      types.remove(types.size() - 1);
    }
    return types;
  }

  private static List<Class<?>> with(List<Class<?>> head, Class<?> last) {
    List<Class<?>> list = new ArrayList<>(head);
    list.add(last);
    return list;
  }

  private static Set<String> names(Set<List<Class<?>>> signatures) {
    return signatures.stream().map(s -> s.stream().map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")")))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Map<String, List<Method>> byName(Class<?> type) {
    Map<String, List<Method>> methods = new TreeMap<>();
    for (Method m : type.getDeclaredMethods()) {
      // The chunked bulk methods (x-mutagent-bulk) have their own shape: BulkTest checks it.
      if (Modifier.isPublic(m.getModifiers()) && !m.getName().equals("withRawResponse") && !m.getName().endsWith("InChunks")) {
        methods.computeIfAbsent(m.getName(), name -> new ArrayList<>()).add(m);
      }
    }
    return methods;
  }

  private static Class<?> nested(Class<?> type, String name) {
    return Arrays.stream(type.getDeclaredClasses()).filter(c -> c.getSimpleName().equals(name)).findFirst().orElseThrow();
  }

  /** The namespaces' class-name stems (Prompt, PromptDatasets, ...), from the blocking client's accessors. */
  private static List<String> tags() {
    List<String> tags = Arrays.stream(io.mutagent.Mutagent.class.getMethods())
        .map(Method::getReturnType)
        .filter(type -> type.getName().startsWith(SERVICES) && type.getSimpleName().endsWith("Service"))
        .map(type -> type.getSimpleName().replaceFirst("Service$", ""))
        .sorted().distinct().collect(Collectors.toList());
    SpecRulesTest.parse();
    assertEquals(SpecRulesTest.api.getTags().size(), tags.size(), "one namespace per tag of the spec: " + tags);
    return tags;
  }
}
