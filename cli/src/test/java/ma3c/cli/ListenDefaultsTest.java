package ma3c.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where a health command asks by default: where its server listens under the same environment. */
class ListenDefaultsTest {
  private static final ListenDefaults SERVER = new ListenDefaults("S_BIND", "S_PORT", 50051);

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "-|-|127.0.0.1:50051",
      "-|7000|127.0.0.1:7000",
      "0.0.0.0|-|127.0.0.1:50051",
      "::|7000|127.0.0.1:7000",
      "10.1.2.3|7000|10.1.2.3:7000",
      "envhost|-|envhost:50051",
      "::1|-|[::1]:50051"})
  void followsTheServersBindAndPortVariables(String bind, String port, String address) {
    Map<String, String> env = new HashMap<>();
    if (bind != null) {
      env.put("S_BIND", bind);
    }
    if (port != null) {
      env.put("S_PORT", port);
    }
    assertEquals(address, SERVER.address(env));
  }
}
