package ma3c.learner.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.RunConfig;
import ma3c.model.Architecture;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarmStartTest {
  @TempDir
  Path dir;

  /** A saved source run of {@code arch} on games with the given action counts, seed 11. */
  private WarmStart source(Architecture arch, boolean lstm, Map<String, Integer> actions)
      throws Exception {
    return sourceWith(arch, lstm, meanings(actions));
  }

  /** Each game's actions: NOOP, A1, A2, ... */
  private static Map<String, List<String>> meanings(Map<String, Integer> actions) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    actions.forEach((g, n) -> out.put(g, java.util.stream.IntStream.range(0, n)
        .mapToObj(i -> i == 0 ? "NOOP" : "A" + i).toList()));
    return out;
  }

  private WarmStart sourceWith(Architecture arch, boolean lstm, Map<String, List<String>> meanings)
      throws Exception {
    Map<String, Integer> actions = new LinkedHashMap<>();
    meanings.forEach((g, m) -> actions.put(g, m.size()));
    LinkedHashMap<String, Integer> threads = new LinkedHashMap<>();
    actions.keySet().forEach(g -> threads.put(g, 1));
    RunConfig config = new RunConfig(new RunConfig.Net(arch, lstm), threads,
        A3CConfig.defaults(lstm, 1000), new RunConfig.Env(List.of(), "roms", 0, 30, false), 11,
        new RunConfig.Reporting(60, 10), null, null, null);
    ParameterLayout layout = new ParameterLayout(new NetSpec(arch, lstm, actions));
    float[] theta = layout.initialParameters(11);
    new Checkpoint(new Checkpoint.Meta(config, 1000, 10, 1, Map.of(), Map.of(), meanings, "now",
        Map.of(), Map.of(), null), theta, new float[theta.length]).save(dir.resolve(Checkpoint.FILE));
    return WarmStart.load(dir);
  }

  private static float[] block(float[] theta, ParameterLayout layout, String name) {
    ParameterLayout.Block b = layout.blocks().stream().filter(x -> x.globalName().equals(name))
        .findFirst().orElseThrow();
    return Arrays.copyOfRange(theta, b.offset(), b.offset() + b.size());
  }

  @Test
  void sharedBlocksAndKnownGamesComeFromTheSourceNewGamesStartFresh() throws Exception {
    WarmStart start = source(Architecture.A3C, true, Map.of("pong", 6));
    ParameterLayout from = new ParameterLayout(new NetSpec(Architecture.A3C, true, Map.of("pong", 6)));
    float[] sourceTheta = from.initialParameters(11);
    ParameterLayout target = new ParameterLayout(new NetSpec(Architecture.MA3C_2, true,
        Map.of("pong", 6, "catch", 3)));
    float[] fresh = target.initialParameters(5);

    WarmStart.Result r = start.apply(target, fresh, meanings(Map.of("pong", 6, "catch", 3)));

    for (ParameterLayout.Block b : target.blocks()) {
      boolean fromSource = b.owner() == null || b.owner().equals("pong");
      assertEquals(fromSource, r.copied().contains(b.globalName()), b.globalName());
      assertArrayEquals(block(fromSource ? sourceTheta : fresh, fromSource ? from : target,
          b.globalName()), block(r.theta(), target, b.globalName()), b.globalName());
    }
    assertEquals(List.of("catch/pi_w", "catch/pi_b", "catch/v_w", "catch/v_b"), r.fresh());
  }

  @Test
  void aGameWithAnotherActionCountGetsFreshHeads() throws Exception {
    WarmStart start = source(Architecture.MA3C_1, false, Map.of("pong", 6, "catch", 3));
    ParameterLayout target = new ParameterLayout(new NetSpec(Architecture.MA3C_1, false,
        Map.of("pong", 18)));
    WarmStart.Result r = start.apply(target, target.initialParameters(5),
        meanings(Map.of("pong", 18)));
    assertTrue(r.fresh().containsAll(List.of("pong/pi_w", "pong/pi_b")), r.fresh().toString());
    assertTrue(r.copied().containsAll(List.of("shared/fc_w", "pong/v_w")), r.copied().toString());
  }

  @Test
  void aGameWhoseActionsComeInAnotherOrderGetsAFreshPolicyHead() throws Exception {
    WarmStart start = sourceWith(Architecture.MA3C_2, false,
        Map.of("catch", List.of("NOOP", "LEFT", "RIGHT")));
    ParameterLayout target = new ParameterLayout(new NetSpec(Architecture.MA3C_2, false,
        Map.of("catch", 3)));
    WarmStart.Result r = start.apply(target, target.initialParameters(5),
        Map.of("catch", List.of("NOOP", "RIGHT", "LEFT")));
    assertEquals(List.of("catch/pi_w", "catch/pi_b"), r.fresh());
    assertTrue(r.copied().containsAll(List.of("shared/fc_w", "catch/v_w")), r.copied().toString());
  }

  @Test
  void aSharedBlockTheSourceLacksIsACleanError() throws Exception {
    WarmStart start = source(Architecture.MA3C_1, true, Map.of("pong", 6, "catch", 3));
    ParameterLayout target = new ParameterLayout(new NetSpec(Architecture.MA3C_2, true,
        Map.of("breakout", 4)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> start.checkFits(target));
    assertTrue(e.getMessage().contains("shared/lstm_wx") && e.getMessage().contains("ma3c-1 LSTM"),
        e.getMessage());
  }

  @Test
  void aFeedForwardSourceDoesNotFitAnLstmNet() throws Exception {
    WarmStart start = source(Architecture.MA3C_2, false, Map.of("pong", 6));
    ParameterLayout target = new ParameterLayout(new NetSpec(Architecture.MA3C_2, true,
        Map.of("pong", 6)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> start.apply(target, target.initialParameters(1), meanings(Map.of("pong", 6))));
    assertTrue(e.getMessage().contains("shared/conv1_w") && e.getMessage().contains("feed-forward"),
        e.getMessage());
  }

  @Test
  void aMissingCheckpointIsACleanError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WarmStart.load(dir.resolve("nothing")));
    assertTrue(e.getMessage().startsWith("no checkpoint to start from"), e.getMessage());
  }
}
