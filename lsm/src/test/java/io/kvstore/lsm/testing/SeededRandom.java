package io.kvstore.lsm.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Random;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * JUnit 5 extension that injects a {@link Random} parameter seeded from a fresh random seed (or
 * from {@link Seed} on the test method, to replay a failure) and, when the test fails, rethrows
 * the failure with the seed in its message. Use with {@code @ExtendWith(SeededRandom.class)}.
 *
 * <p>Thread safety: JUnit calls it per test; the seed lives in the test's extension store, so the
 * extension itself has no state.
 */
public final class SeededRandom implements ParameterResolver, TestExecutionExceptionHandler {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(SeededRandom.class);

  /** Fixes the seed of one test, to reproduce a failure printed by this extension. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  public @interface Seed {
    long value();
  }

  @Override
  public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
    return pc.getParameter().getType() == Random.class;
  }

  @Override
  public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
    long seed =
        ec.getTestMethod()
            .map(m -> m.getAnnotation(Seed.class))
            .map(Seed::value)
            .orElseGet(() -> new Random().nextLong());
    ec.getStore(NS).put("seed", seed);
    return new Random(seed);
  }

  @Override
  public void handleTestExecutionException(ExtensionContext ec, Throwable t) throws Throwable {
    Long seed = ec.getStore(NS).get("seed", Long.class);
    if (seed == null) {
      throw t;
    }
    throw new AssertionError("[reproduce with @Seed(" + seed + "L)] " + t.getMessage(), t);
  }
}
