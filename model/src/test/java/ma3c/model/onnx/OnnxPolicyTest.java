package ma3c.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.Arrays;
import java.util.Map;
import ma3c.model.Architecture;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;
import ma3c.model.onnx.OnnxPolicyGraph;
import org.junit.jupiter.api.Test;

/** What a model must be to be served, and what a request must be to reach ONNX Runtime. */
class OnnxPolicyTest {
  private static final ModelProto FF = TestModels.model("pong", false, Architecture.A3C, 1, TestModels.ACTIONS);
  private static final ModelProto LSTM = TestModels.model("breakout", true, Architecture.A3C, 2, TestModels.ACTIONS);

  private static ModelRefusedException refused(ModelProto model) {
    return assertThrows(ModelRefusedException.class, () -> new OnnxPolicy("m.onnx", model.toByteArray()));
  }

  @Test
  void refusesNaNOrInfinityInAnyInitializer() {
    ModelRefusedException nan = refused(TestModels.withParameter(FF, "fc_w", 40, Float.NaN));
    assertEquals("pong", nan.game());
    assertTrue(nan.getMessage().contains("not all finite") && nan.getMessage().contains("fc_w")
        && nan.getMessage().contains("[40] = NaN"), nan.getMessage());
    ModelRefusedException inf = refused(TestModels.withParameter(LSTM, "lstm_wh", 0, Float.POSITIVE_INFINITY));
    assertTrue(inf.getMessage().contains("lstm_wh"), inf.getMessage());
    // A scalar stored in float_data rather than raw_data.
    ModelProto.Builder scalar = FF.toBuilder();
    for (TensorProto.Builder t : scalar.getGraphBuilder().getInitializerBuilderList()) {
      if (t.getName().equals("inv255")) {
        t.setFloatData(0, Float.NEGATIVE_INFINITY);
      }
    }
    assertTrue(refused(ModelChecksum.seal(scalar.build())).getMessage().contains("inv255"));
  }

  @Test
  void refusesMetadataThatDisagreeWithTheGraph() {
    assertTrue(refused(TestModels.withProperty(FF, "ma3c.frames_stacked", "1")).getMessage()
        .contains("stacked frames"));
    assertTrue(refused(TestModels.withProperty(FF, "ma3c.lstm", "true")).getMessage()
        .contains("LSTM"));
    assertTrue(refused(TestModels.withProperty(LSTM, "ma3c.action_meanings", "[\"NOOP\"]"))
        .getMessage().contains("actions"));
    assertTrue(refused(TestModels.withProperty(FF, "ma3c.frames_trained", "many")).getMessage()
        .contains("malformed"));
  }

  /**
   * An export carries the checksum of its content: a file that holds anything else (parts of two
   * versions, read while rewritten in place) is refused, however well it parses.
   */
  @Test
  void refusesContentThatDoesNotMatchItsChecksum() throws Exception {
    ModelRefusedException changed = refused(TestModels.changeParameter(FF, "fc_w", 40, 0.5f));
    assertTrue(changed.getMessage().contains("does not match its checksum"), changed.getMessage());
    assertNull(changed.game(), "the metadata of a mixed file are another version's");
    ModelProto unchecked = TestModels.changeParameter(FF, "fc_w", 40, 0.5f).toBuilder().clearMetadataProps()
        .addAllMetadataProps(FF.getMetadataPropsList().stream()
            .filter(p -> !p.getKey().equals(ModelChecksum.KEY)).toList()).build();
    try (OnnxPolicy old = new OnnxPolicy("m.onnx", unchecked.toByteArray())) {
      assertEquals("pong", old.metadata().game(), "a model exported before checksums still loads");
    }
  }

  @Test
  void refusesTruncatedFilesAndGraphsItCannotFeed() {
    byte[] whole = FF.toByteArray();
    ModelRefusedException truncated = assertThrows(ModelRefusedException.class,
        () -> new OnnxPolicy("m.onnx", Arrays.copyOf(whole, whole.length / 2)));
    assertNull(truncated.game());
    assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
    ParameterLayout layout = new ParameterLayout(new NetSpec(Architecture.A3C, false, Map.of("pong", 4)));
    ModelProto inputs = ModelChecksum.seal(OnnxPolicyGraph.withParameterInputs(layout, "pong").toBuilder()
        .addAllMetadataProps(FF.getMetadataPropsList()).build());
    assertTrue(refused(inputs).getMessage().contains("cannot feed"));
  }

  @Test
  void takesShapesFromTheGraph() throws Exception {
    try (OnnxPolicy ff = new OnnxPolicy("pong.onnx", FF.toByteArray());
        OnnxPolicy lstm = new OnnxPolicy("breakout.onnx", LSTM.toByteArray())) {
      assertArrayEquals(new int[] {4, 84, 84}, ff.observationShape());
      assertEquals(0, ff.stateSize());
      assertArrayEquals(new int[] {1, 84, 84}, lstm.observationShape());
      assertEquals(256, lstm.stateSize());
    }
  }

  @Test
  void checksTheRecurrentState() throws Exception {
    try (OnnxPolicy ff = new OnnxPolicy("pong.onnx", FF.toByteArray());
        OnnxPolicy lstm = new OnnxPolicy("breakout.onnx", LSTM.toByteArray())) {
      byte[] obs = new byte[84 * 84];
      float[] state = new float[256];
      assertTrue(act(ff, new byte[4 * 84 * 84], state, state).contains("feed-forward"));
      assertTrue(act(lstm, obs, new float[3], new float[3]).contains("256"));
      assertTrue(act(lstm, obs, state, null).contains("go together"));
      float[] nan = new float[256];
      nan[7] = Float.NaN;
      assertTrue(act(lstm, obs, state, nan).contains("c[7] is NaN"));
      float[] inf = new float[256];
      inf[0] = Float.NEGATIVE_INFINITY;
      assertTrue(act(lstm, obs, inf, state).contains("finite"));
      assertEquals(256, lstm.act(obs, state, state, true, null).h().length, "a good state is taken");
    }
  }

  @Test
  void aBatchAnswersEachInputAsIfItCameAlone() throws Exception {
    java.util.SplittableRandom noise = new java.util.SplittableRandom(3);
    for (ModelProto model : new ModelProto[] {FF, LSTM}) {
      try (OnnxPolicy p = new OnnxPolicy("m.onnx", model.toByteArray())) {
        java.util.List<OnnxPolicy.Input> inputs = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
          byte[] obs = new byte[p.observationSize()];
          for (int j = 0; j < obs.length; j++) {
            obs[j] = (byte) noise.nextInt(256);
          }
          // Distinct states, and one episode start (no state) among them.
          float[] h = p.stateSize() == 0 || i == 2 ? null : gaussian(noise, p.stateSize());
          float[] c = h == null ? null : gaussian(noise, p.stateSize());
          inputs.add(new OnnxPolicy.Input(obs, h, c, true));
        }
        java.util.List<OnnxPolicy.Decision> batch = p.act(inputs, null);
        assertEquals(inputs.size(), batch.size());
        for (int i = 0; i < inputs.size(); i++) {
          OnnxPolicy.Input in = inputs.get(i);
          OnnxPolicy.Decision alone = p.act(in.observation(), in.h(), in.c(), true, null);
          assertArrayEquals(alone.probs(), batch.get(i).probs(), 1e-5f, "probs of input " + i);
          assertEquals(alone.value(), batch.get(i).value(), 1e-5f, "value of input " + i);
          assertArrayEquals(alone.h(), batch.get(i).h(), 1e-5f, "h of input " + i);
          assertArrayEquals(alone.c(), batch.get(i).c(), 1e-5f, "c of input " + i);
          assertEquals(alone.action(), batch.get(i).action());
        }
        assertTrue(!java.util.Arrays.equals(batch.get(0).probs(), batch.get(1).probs()),
            "different inputs give different answers (else the comparison proves nothing)");
      }
    }
  }

  private static float[] gaussian(java.util.SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return v;
  }

  private static String act(OnnxPolicy p, byte[] obs, float[] h, float[] c) {
    return assertThrows(InvalidInputException.class, () -> p.act(obs, h, c, true, null)).getMessage();
  }
}
