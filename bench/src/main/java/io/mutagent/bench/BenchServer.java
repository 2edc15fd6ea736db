package io.mutagent.bench;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ServerSocketFactory;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;

/**
 * The loopback server of the benchmarks: a MockWebServer on 127.0.0.1 whose dispatcher answers
 * GET /api/prompt/{id} with the spec's getPrompt example, GET /api/prompt with a page of 50
 * prompts, and POST /api/traces (ingestTraces) with 201 and every trace accepted. It runs in a JVM of its own ({@link ServerProcess}), so that its threads and
 * allocations are not counted against the client being measured. Prints {@code PORT n} when
 * ready and exits when its standard input closes (the parent ended or closed it).
 */
public final class BenchServer {
  private BenchServer() {}

  /** Starts the server; no arguments. */
  public static void main(String[] args) throws Exception {
    SpecExamples examples = SpecExamples.load(SpecExamples.specPath());
    byte[] getPrompt = examples.getPromptBody.getBytes(StandardCharsets.UTF_8);
    byte[] listPrompts = examples.listPromptsBody.getBytes(StandardCharsets.UTF_8);

    MockWebServer server = new MockWebServer();
    server.setServerSocketFactory(new NoDelayServerSocketFactory());
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath() == null ? "" : request.getPath();
        if (path.startsWith("/api/prompt/")) {
          return json(getPrompt);
        }
        if (path.equals("/api/prompt") || path.startsWith("/api/prompt?")) {
          return json(listPrompts);
        }
        if (path.equals("/api/traces") && "POST".equals(request.getMethod())) {
          return ingested(request);
        }
        return new MockResponse().setResponseCode(404)
            .setHeader("Content-Type", "application/json")
            .setBody("{\"error\":\"not_found\",\"message\":\"no such path in the benchmark server\"}");
      }
    });
    server.start(InetAddress.getByName("127.0.0.1"), 0);

    // MockWebServer keeps every request it served; take them away so a long run stays flat.
    Thread drain = new Thread(() -> {
      try {
        while (true) {
          server.takeRequest();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bench-server-drain");
    drain.setDaemon(true);
    drain.start();

    System.out.println("PORT " + server.getPort());
    System.out.flush();
    InputStream stdin = System.in;
    while (stdin.read() != -1) {
      // Wait for the parent to close our input.
    }
    server.shutdown();
    System.exit(0);
  }

  /**
   * MockWebServer writes the head and the body of a response separately; with Nagle's algorithm
   * on, the body then waits for the client's delayed ACK (about 40 ms on Linux) and every call
   * would measure that. Real servers set TCP_NODELAY; so does this one, on each accepted socket.
   */
  static final class NoDelayServerSocketFactory extends ServerSocketFactory {
    @Override
    public ServerSocket createServerSocket() throws IOException {
      return new NoDelayServerSocket();
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      ServerSocket socket = new NoDelayServerSocket();
      socket.bind(new InetSocketAddress(port));
      return socket;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
      ServerSocket socket = new NoDelayServerSocket();
      socket.bind(new InetSocketAddress(port), backlog);
      return socket;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
      ServerSocket socket = new NoDelayServerSocket();
      socket.bind(new InetSocketAddress(address, port), backlog);
      return socket;
    }
  }

  /** A server socket whose accepted sockets have TCP_NODELAY set. */
  static final class NoDelayServerSocket extends ServerSocket {
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

  /** ingestTraces: 201 with every trace of the body accepted (counted by parsing the body). */
  private static MockResponse ingested(RecordedRequest request) {
    int count = JsonParser.parseString(request.getBody().readUtf8()).getAsJsonObject()
        .getAsJsonArray("traces").size();
    StringBuilder body = new StringBuilder("{\"acceptedCount\":").append(count).append(",\"traceIds\":[");
    for (int i = 0; i < count; i++) {
      body.append(i == 0 ? "\"trc_" : ",\"trc_").append(i).append('"');
    }
    return json(body.append("]}").toString().getBytes(StandardCharsets.UTF_8)).setResponseCode(201);
  }

  private static MockResponse json(byte[] body) {
    return new MockResponse()
        .setHeader("Content-Type", "application/json")
        .setHeader("X-Request-Id", "req_bench")
        .setHeader("X-RateLimit-Limit", "1000")
        .setHeader("X-RateLimit-Remaining", "999")
        .setHeader("X-RateLimit-Reset", "1767225600")
        .setBody(new Buffer().write(body));
  }
}
