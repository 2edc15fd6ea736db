package io.mutagent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;
import okhttp3.mockwebserver.MockWebServer;

/**
 * MockWebServers for the tests, with TCP_NODELAY on every connection they accept.
 *
 * <p>MockWebServer writes a response's headers and its body in two writes. With Nagle's algorithm
 * on (the socket default), the body waits until the client acknowledges the headers, and the
 * client delays that ACK by up to 40 ms once a connection is past its first exchange. So every
 * answer on a reused connection (each retry, each call of the load test) took 40 ms of doing
 * nothing. Loopback only, like every test server; what is sent and received is unchanged.
 */
public final class TestServers {
  private TestServers() {}

  /**
   * MockWebServer's own logger, kept at SEVERE for the test run: it warns, timestamped, each time a
   * client opens a connection and closes it without a request, which the SDK does by design when it
   * drops idle pooled connections (close(), a stale connection). Held here, since
   * java.util.logging holds its loggers weakly and a collected one would lose the level.
   */
  private static final java.util.logging.Logger MOCK_WEB_SERVER_LOG = quiet();

  private static java.util.logging.Logger quiet() {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(MockWebServer.class.getName());
    logger.setLevel(java.util.logging.Level.SEVERE);
    return logger;
  }

  /** A MockWebServer (not yet started) whose accepted sockets send without delay. */
  @SuppressWarnings("exports") // public for the tests in other packages; the module ships without tests/
  public static MockWebServer mockWebServer() {
    MockWebServer server = new MockWebServer();
    server.setServerSocketFactory(NO_DELAY);
    return server;
  }

  private static final ServerSocketFactory NO_DELAY = new ServerSocketFactory() {
    @Override
    public ServerSocket createServerSocket() throws IOException {
      return new NoDelayServerSocket();
    }

    // MockWebServer calls only the method above (then binds the socket itself).
    @Override
    public ServerSocket createServerSocket(int port) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) {
      throw new UnsupportedOperationException();
    }
  };

  private static final class NoDelayServerSocket extends ServerSocket {
    NoDelayServerSocket() throws IOException {
      super();
    }

    @Override
    public Socket accept() throws IOException {
      Socket socket = super.accept();
      socket.setTcpNoDelay(true);
      return socket;
    }
  }
}
