package ma3c.learner.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AllocationPolicyTest {
  private final ThreadAllocation allocation = ThreadAllocation.adaptive(
      new LinkedHashMap<>(Map.of("pong", 8, "breakout", 8)));
  private final AllocationPolicy policy = new AllocationPolicy();

  private Map<String, Integer> decide(double pong, double breakout, long episodes, long frames,
      boolean breakoutDone) {
    Map<String, AllocationPolicy.GameState> now = new LinkedHashMap<>();
    now.put("pong", new AllocationPolicy.GameState(pong, episodes, frames, false));
    now.put("breakout", new AllocationPolicy.GameState(breakout, episodes, frames, breakoutDone));
    Map<String, Integer> next = policy.next(allocation, now);
    allocation.set(next);
    return next;
  }

  @Test
  void aThreadMovesToTheGameImprovingFastestDownToTheOthersMinimum() {
    assertEquals(Map.of("pong", 8, "breakout", 8), decide(-21, 2, 10, 1_000_000, false),
        "the first decision only measures");
    // Pong climbs 4 points (of the 4 it has shown) per 1M frames, Breakout 1 of 1... then stalls.
    assertEquals(Map.of("pong", 9, "breakout", 7), decide(-17, 2.5, 20, 2_000_000, false));
    assertTrue(policy.lastProgress().get("pong") > policy.lastProgress().get("breakout"),
        policy.lastProgress().toString());
    long frames = 2_000_000;
    double pong = -17;
    for (int i = 0; i < 10; i++) {
      frames += 1_000_000;
      pong += 2;
      decide(pong, 2.5, 30 + 10 * i, frames, false);
    }
    assertEquals(Map.of("pong", 12, "breakout", 4), allocation.active(), "bounds hold");
  }

  @Test
  void tooFewEpisodesMoveNothing() {
    decide(-21, 2, 10, 1_000_000, false);
    assertEquals(Map.of("pong", 8, "breakout", 8),
        decide(-10, 2, 10 + AllocationPolicy.MIN_EPISODES - 1, 2_000_000, false));
  }

  @Test
  void aFinishedGameGivesItsThreadsAway() {
    decide(-21, 2, 10, 1_000_000, false);
    assertEquals(Map.of("pong", 12, "breakout", 0), decide(-21, 30, 20, 2_000_000, true),
        "pong takes up to its most, whatever the progress");
  }

  @Test
  void aFinishedGameWhoseBudgetWasRaisedTakesItsLeastBack() {
    decide(-21, 2, 10, 1_000_000, false);
    decide(-21, 30, 20, 2_000_000, true);
    assertEquals(Map.of("pong", 12, "breakout", 4), decide(-21, 30, 30, 3_000_000, false),
        "breakout (no longer finished after a resume to a larger budget) gets its 4 back, from"
            + " the 4 threads pong could not take");
  }

  @Test
  void settlingFillsEveryUnfinishedGameFromIdleThreadsThenFromDonors() {
    assertEquals(Map.of("pong", 12, "breakout", 4),
        AllocationPolicy.settle(allocation, Map.of("pong", 0, "breakout", 0), java.util.Set.of(),
            java.util.List.of("pong", "breakout")),
        "a checkpoint taken as the last game finished: nothing running, both budgets raised");
    assertEquals(Map.of("pong", 12, "breakout", 4),
        AllocationPolicy.settle(allocation, Map.of("pong", 12, "breakout", 4), java.util.Set.of(),
            java.util.List.of("breakout", "pong")), "nothing idle, nothing below its least: as it was");
    ThreadAllocation three = ThreadAllocation.adaptive(new LinkedHashMap<>(Map.of("a", 2, "b", 2, "c", 2)));
    Map<String, Integer> settled = AllocationPolicy.settle(three, Map.of("a", 3, "b", 3, "c", 0),
        java.util.Set.of(), java.util.List.of("a", "b", "c"));
    assertEquals(1, settled.get("c"), "c's least comes from a game above its own: " + settled);
    assertEquals(5, settled.get("a") + settled.get("b"), settled.toString());
  }

  /** A policy restored from its memory decides as the one that made it would have. */
  @Test
  void aRestoredPolicyDecidesAsTheOriginal() {
    decide(-21, 2, 10, 1_000_000, false);
    decide(-17, 2.5, 20, 2_000_000, false);
    AllocationPolicy restored = new AllocationPolicy();
    restored.restore(policy.memory());
    ThreadAllocation copy = ThreadAllocation.adaptive(new LinkedHashMap<>(Map.of("pong", 8, "breakout", 8)));
    copy.set(allocation.active());
    Map<String, AllocationPolicy.GameState> now = new LinkedHashMap<>();
    now.put("pong", new AllocationPolicy.GameState(-16.5, 30, 3_000_000, false));
    now.put("breakout", new AllocationPolicy.GameState(4, 30, 3_000_000, false));
    Map<String, Integer> fromRestored = restored.next(copy, now);
    assertEquals(policy.next(allocation, now), fromRestored);
    assertEquals(Map.of("pong", 8, "breakout", 8), fromRestored,
        "breakout now improves fastest (measured against the restored memory): pong's extra thread goes back");
    assertEquals(policy.lastProgress(), restored.lastProgress());
  }
}
