package ma3c.env.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ma3c.env.v1.EpisodeState;
import ma3c.env.v1.StepResponse;
import org.junit.jupiter.api.Test;

class ContractFieldsTest {
  @SuppressWarnings("deprecation")
  private static void assertState(EpisodeState expected, boolean terminated, boolean truncated) {
    StepResponse step = ContractFields.withState(StepResponse.newBuilder(), terminated, truncated)
        .build();
    assertEquals(expected, step.getState());
    assertEquals(expected == EpisodeState.TERMINATED, step.getTerminated(), "deprecated twin");
    assertEquals(expected == EpisodeState.TRUNCATED, step.getTruncated(), "deprecated twin");
  }

  @Test
  void theRulesWinOverTheFrameCapOnTheSameStep() {
    assertState(EpisodeState.RUNNING, false, false);
    assertState(EpisodeState.TERMINATED, true, false);
    assertState(EpisodeState.TRUNCATED, false, true);
    // A life lost under terminal_on_life_loss on the very step that reaches the cap.
    assertState(EpisodeState.TERMINATED, true, true);
  }
}
