package ma3c.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Which parameters exist once (shared) and which once per game, for each architecture. */
class ParameterSharingTest {
  private static final Map<String, Integer> GAMES = Map.of("pong", 6, "breakout", 4);

  private static Set<String> names(ParameterLayout layout) {
    Set<String> names = new TreeSet<>();
    layout.blocks().forEach(b -> names.add(b.globalName()));
    return names;
  }

  private static Set<String> heads(String game) {
    return Set.of(game + "/pi_w", game + "/pi_b", game + "/v_w", game + "/v_b");
  }

  private static final Set<String> TRUNK = Set.of("shared/conv1_w", "shared/conv1_b",
      "shared/conv2_w", "shared/conv2_b", "shared/fc_w", "shared/fc_b");

  @Test
  void ma3c1SharesConvAndFcAndKeepsAnLstmAndHeadsPerGame() {
    ParameterLayout layout = new ParameterLayout(new NetSpec(Architecture.MA3C_1, true, GAMES));
    Set<String> expected = new TreeSet<>(TRUNK);
    for (String game : GAMES.keySet()) {
      expected.addAll(heads(game));
      expected.addAll(Set.of(game + "/lstm_wx", game + "/lstm_wh", game + "/lstm_b"));
    }
    assertEquals(expected, names(layout));
  }

  @Test
  void ma3c2SharesConvFcAndLstmAndKeepsHeadsPerGame() {
    ParameterLayout layout = new ParameterLayout(new NetSpec(Architecture.MA3C_2, true, GAMES));
    Set<String> expected = new TreeSet<>(TRUNK);
    expected.addAll(Set.of("shared/lstm_wx", "shared/lstm_wh", "shared/lstm_b"));
    GAMES.keySet().forEach(g -> expected.addAll(heads(g)));
    assertEquals(expected, names(layout));
  }

  @Test
  void feedForwardMultiTaskNetsShareTheTrunk() {
    for (Architecture a : List.of(Architecture.MA3C_1, Architecture.MA3C_2)) {
      ParameterLayout layout = new ParameterLayout(new NetSpec(a, false, GAMES));
      Set<String> expected = new TreeSet<>(TRUNK);
      GAMES.keySet().forEach(g -> expected.addAll(heads(g)));
      assertEquals(expected, names(layout), a.id());
    }
  }

  @Test
  void eachGameViewSeesTheSharedBlocksAtTheSameOffsetsAndItsOwnHeads() {
    ParameterLayout layout = new ParameterLayout(new NetSpec(Architecture.MA3C_2, true, GAMES));
    List<ParameterLayout.Block> pong = layout.view("pong");
    List<ParameterLayout.Block> breakout = layout.view("breakout");
    assertEquals(pong.size(), breakout.size());
    for (int i = 0; i < pong.size(); i++) {
      ParameterLayout.Block p = pong.get(i);
      ParameterLayout.Block b = breakout.get(i);
      assertEquals(p.localName(), b.localName());
      if (p.owner() == null) {
        assertEquals(p.offset(), b.offset(), "one copy of " + p.globalName());
      } else {
        assertEquals(Set.of("pong", "breakout"), Set.of(p.owner(), b.owner()));
      }
    }
    assertEquals(6, pong.stream().filter(x -> x.localName().equals("pi_b")).findFirst().orElseThrow().size());
    assertEquals(4, breakout.stream().filter(x -> x.localName().equals("pi_b")).findFirst().orElseThrow().size());
  }

  @Test
  void a3cTakesExactlyOneGame() {
    assertThrows(IllegalArgumentException.class, () -> new NetSpec(Architecture.A3C, false, GAMES));
  }
}
