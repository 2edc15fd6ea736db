package io.mutagent.internal.http;

import io.mutagent.LogLevel;
import java.io.PrintStream;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import org.jspecify.annotations.Nullable;

/**
 * Makes the SDK's DEBUG lines visible when nobody configured logging. Internal.
 *
 * <p>{@code System.Logger} goes to {@code java.util.logging} (JUL) unless the application installs
 * another backend, and JUL as the JDK ships it prints INFO and above only, so a client set to
 * {@link LogLevel#DEBUG} would show its INFO lines and hide the rest. For such a client, using the
 * default logger, {@link #ensureVisible} attaches one handler to the JUL logger
 * {@value #LOGGER_NAME} and sets that logger to {@code FINE}. The handler writes to
 * {@code System.err} (as it is when the handler is attached) and publishes only records below
 * INFO; INFO and above still go to the root logger's handler alone, so no line is printed twice.
 * Nothing else is touched: not the root logger, not another logger.
 *
 * <p>It does that only when all of these hold, and otherwise leaves logging as it is:
 * <ul>
 *   <li>the {@code System.LoggerFinder} is the JDK's own, from module {@code java.logging} (a
 *       bridge such as SLF4J's or Log4j's installs its own finder);
 *   <li>the JUL {@code LogManager} is the JDK's own class (not Log4j's or JBoss's);
 *   <li>the root logger is as the JDK ships it: level INFO, and one handler, a plain
 *       {@code ConsoleHandler} at INFO (a {@code logging.properties} may still change the format);
 *   <li>the {@value #LOGGER_NAME} logger has neither a level nor a handler.
 * </ul>
 * Since attaching sets both a level and a handler on {@value #LOGGER_NAME}, every later client
 * finds it configured and attaches nothing: there is one handler per JVM.
 */
public final class DebugOutput {
  /** The name of the SDK's logger, in {@code System.Logger} and in JUL. */
  public static final String LOGGER_NAME = "io.mutagent";

  /**
   * The configured logger, held so that it stays: the LogManager keeps its loggers only weakly,
   * and a logger collected and made again would have lost its level and handler.
   */
  private static @Nullable Logger attached;

  private DebugOutput() {}

  /**
   * Attaches the stderr handler described above if {@code level} is DEBUG, the client uses the
   * default logger, and logging is JUL as the JDK ships it with {@value #LOGGER_NAME} unconfigured.
   * Call it once per client; it is cheap when there is nothing to do. Never throws: where a
   * security manager refuses a step, nothing is attached.
   *
   * @param level the client's level
   * @param defaultLogger whether the client logs through {@code System.getLogger("io.mutagent")}
   *     (false for a logger a test put in its place)
   * @return whether this call attached the handler
   */
  public static boolean ensureVisible(LogLevel level, boolean defaultLogger) {
    if (level != LogLevel.DEBUG || !defaultLogger) {
      return false;
    }
    try {
      return attach(System.err);
    } catch (SecurityException refused) {
      return false;
    }
  }

  private static synchronized boolean attach(PrintStream stream) {
    if (System.LoggerFinder.getLoggerFinder().getClass().getModule() != Logger.class.getModule()
        || LogManager.getLogManager().getClass() != LogManager.class
        || !asShipped(Logger.getLogger(""))) {
      return false;
    }
    Logger logger = Logger.getLogger(LOGGER_NAME);
    if (logger.getLevel() != null || logger.getHandlers().length > 0) {
      return false;
    }
    logger.addHandler(new BelowInfo(stream));
    logger.setLevel(Level.FINE);
    attached = logger;
    return true;
  }

  /** Whether the root logger is as the JDK's default configuration makes it. */
  private static boolean asShipped(Logger root) {
    Handler[] handlers = root.getHandlers();
    return Level.INFO.equals(root.getLevel()) && handlers.length == 1
        && handlers[0].getClass() == ConsoleHandler.class && Level.INFO.equals(handlers[0].getLevel());
  }

  /**
   * Publishes the records below INFO to a stream, flushed after each one, in the JDK's
   * {@link SimpleFormatter} format (the root logger's console lines look the same). Closing it
   * flushes and leaves the stream open.
   */
  private static final class BelowInfo extends StreamHandler {
    BelowInfo(PrintStream stream) {
      super(stream, new SimpleFormatter());
      setLevel(Level.ALL);
    }

    @Override
    public boolean isLoggable(@Nullable LogRecord record) {
      return super.isLoggable(record) && record != null && record.getLevel().intValue() < Level.INFO.intValue();
    }

    @Override
    public synchronized void publish(@Nullable LogRecord record) {
      super.publish(record);
      flush();
    }

    @Override
    public synchronized void close() {
      flush();
    }
  }
}
