package ma3c.learner.algo;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import ma3c.env.v1.EnvSpec;
import ma3c.env.v1.EnvironmentGrpc;
import ma3c.env.v1.EpisodeState;
import ma3c.env.v1.Observation;
import ma3c.env.v1.ObservationSpec;
import ma3c.env.v1.OpenResponse;
import ma3c.env.v1.Request;
import ma3c.env.v1.ResetResponse;
import ma3c.env.v1.Response;
import ma3c.env.v1.StepInfo;
import ma3c.env.v1.StepResponse;
import ma3c.model.NetSpec;

/**
 * An env service that plays scripted episodes: each step's reward and the state the episode is in
 * after it are given, every frame is fixed noise (distinct per step, the same in every run), and
 * the actions a learner sends are recorded. What a learner did with the episodes can then be
 * recomputed exactly. Stepping past the script fails the session.
 */
final class ScriptedEnvService extends EnvironmentGrpc.EnvironmentImplBase {
  static final String GAME = "scripted";
  static final int ACTIONS = 3;
  static final int FRAME_BYTES = NetSpec.SIZE * NetSpec.SIZE;

  /** One step of an episode: its reward and the episode's state after it. */
  record Step(float reward, EpisodeState state) {}

  private final List<List<Step>> episodes;
  private final List<List<Integer>> actions = new CopyOnWriteArrayList<>();

  ScriptedEnvService(List<List<Step>> episodes) {
    this.episodes = episodes;
  }

  /** {@code steps} steps without reward, the last one in {@code last} state. */
  static List<Step> episode(int steps, EpisodeState last) {
    List<Step> out = new ArrayList<>();
    for (int i = 1; i <= steps; i++) {
      out.add(new Step(0, i == steps ? last : EpisodeState.RUNNING));
    }
    return out;
  }

  /** The frame shown at step {@code t} of episode {@code episode} (t = 0: the reset's). */
  static byte[] frame(int episode, int t) {
    byte[] pixels = new byte[FRAME_BYTES];
    new SplittableRandom(1_000L * episode + t).nextBytes(pixels);
    return pixels;
  }

  /** The actions received in each episode played, in order. */
  List<List<Integer>> actions() {
    return actions;
  }

  @Override
  public StreamObserver<Request> session(StreamObserver<Response> out) {
    return new StreamObserver<>() {
      private int episode = -1;
      private int t;

      @Override
      public void onNext(Request request) {
        switch (request.getPayloadCase()) {
          case OPEN -> out.onNext(Response.newBuilder().setOpen(OpenResponse.newBuilder()
              .setSpec(EnvSpec.newBuilder().setGame(GAME)
                  .setObservation(ObservationSpec.newBuilder().addShape(NetSpec.SIZE)
                      .addShape(NetSpec.SIZE))
                  .setActionCount(ACTIONS)
                  .addAllActionMeanings(List.of("NOOP", "LEFT", "RIGHT"))
                  .setConfig(request.getOpen().getConfig()))).build());
          case RESET -> {
            episode++;
            t = 0;
            actions.add(new CopyOnWriteArrayList<>());
            out.onNext(Response.newBuilder().setReset(ResetResponse.newBuilder()
                .setObservation(observation(0))
                .setInfo(StepInfo.newBuilder().setLives(1))).build());
          }
          case STEP -> step(request.getStep().getAction());
          default -> out.onError(Status.INVALID_ARGUMENT.asRuntimeException());
        }
      }

      private void step(int action) {
        if (episode >= episodes.size() || t >= episodes.get(episode).size()) {
          out.onError(Status.FAILED_PRECONDITION
              .withDescription("stepped past the script (episode " + episode + ", step " + t + ")")
              .asRuntimeException());
          return;
        }
        actions.get(episode).add(action);
        Step step = episodes.get(episode).get(t++);
        boolean over = step.state() != EpisodeState.RUNNING;
        StepInfo.Builder info = StepInfo.newBuilder().setLives(1).setGameOver(over);
        if (over) {
          info.setEpisodeReturn(episodes.get(episode).stream().mapToDouble(Step::reward).sum())
              .setEpisodeLength(t);
        }
        out.onNext(Response.newBuilder().setStep(StepResponse.newBuilder()
            .setObservation(observation(t))
            .setReward(step.reward())
            .setState(step.state())
            .setInfo(info)).build());
      }

      private Observation observation(int step) {
        return Observation.newBuilder().setData(ByteString.copyFrom(frame(episode, step))).build();
      }

      @Override
      public void onError(Throwable e) {}

      @Override
      public void onCompleted() {
        out.onCompleted();
      }
    };
  }
}
