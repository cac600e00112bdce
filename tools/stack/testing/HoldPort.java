// Test fixture (run with `java HoldPort.java <localPort> <targetPort>`): one outgoing connection from a chosen local
// port, made the way the JVM parts of the stack (Kafka, Connect, the JDBC driver) make theirs: a plain Socket,
// SO_REUSEADDR off. It prints "connected <port>" and holds the connection until stdin closes.
import java.net.InetSocketAddress;
import java.net.Socket;

public class HoldPort {
  public static void main(String[] args) throws Exception {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])));
      socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])));
      System.out.println("connected " + socket.getLocalPort() + " reuseaddr=" + socket.getReuseAddress());
      System.out.flush();
      while (System.in.read() != -1) {
        // hold until the test closes stdin
      }
    }
  }
}
