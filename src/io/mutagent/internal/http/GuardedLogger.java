package io.mutagent.internal.http;

import java.util.ResourceBundle;

/**
 * The client's {@code System.Logger} with its failures kept out of calls: whatever the logger
 * behind it throws ({@code System.Logger} may route to the application's own code, an appender or
 * a bridge), {@code Error} included, is dropped, so logging never fails, retries or hangs a call.
 * Internal.
 */
public final class GuardedLogger implements System.Logger {
  private final System.Logger logger;

  private GuardedLogger(System.Logger logger) {
    this.logger = logger;
  }

  /** Returns {@code logger} guarded (itself if it already is). */
  public static System.Logger of(System.Logger logger) {
    return logger instanceof GuardedLogger ? logger : new GuardedLogger(logger);
  }

  @Override
  public String getName() {
    return logger.getName();
  }

  /** Returns whether the logger takes the level; false if it throws. */
  @Override
  public boolean isLoggable(Level level) {
    try {
      return logger.isLoggable(level);
    } catch (Throwable e) { // the logger's own failure: never the call's
      return false;
    }
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
    try {
      logger.log(level, bundle, message, thrown);
    } catch (Throwable e) { // the logger's own failure: never the call's
      // dropped
    }
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    try {
      logger.log(level, bundle, format, params);
    } catch (Throwable e) { // the logger's own failure: never the call's
      // dropped
    }
  }
}
