package ma3c.env.session;

import ma3c.env.v1.DataType;
import ma3c.env.v1.EpisodeState;
import ma3c.env.v1.ObservationSpec;
import ma3c.env.v1.StepResponse;

/**
 * Fills the contract's fields that have a deprecated twin, in one place: clients written before
 * the twin was replaced still read it (env.proto explains the compatibility rule).
 */
@SuppressWarnings("deprecation")
final class ContractFields {
  private ContractFields() {}

  /** A spec of uint8 pixels in [0, 255] of the given shape. */
  static ObservationSpec pixels(int... shape) {
    ObservationSpec.Builder spec = ObservationSpec.newBuilder()
        .setDataType(DataType.UINT8).setDtype("uint8").setMin(0).setMax(255);
    for (int d : shape) {
      spec.addShape(d);
    }
    return spec.build();
  }

  /**
   * The episode state of a step that ended by the rules ({@code terminated}) and/or reached the
   * frame cap ({@code truncated}): the rules win when both happen on the same step.
   */
  static StepResponse.Builder withState(StepResponse.Builder step, boolean terminated,
      boolean truncated) {
    EpisodeState state = terminated ? EpisodeState.TERMINATED
        : truncated ? EpisodeState.TRUNCATED : EpisodeState.RUNNING;
    return step.setState(state)
        .setTerminated(state == EpisodeState.TERMINATED)
        .setTruncated(state == EpisodeState.TRUNCATED);
  }
}
