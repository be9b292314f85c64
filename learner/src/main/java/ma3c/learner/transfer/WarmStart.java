package ma3c.learner.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.RunConfig;
import ma3c.model.ParameterLayout;

/**
 * The parameters a transfer run starts from (--init-from): every block the games share comes from
 * the source run, and so does each block of a game the source also played; the blocks of a new
 * game (its heads, and under MA3C-1 its LSTM) start fresh. Blocks are matched by name and shape, so
 * a source and a target of different architectures fit where their shared blocks do (A3C and
 * MA3C-2 share the same conv, fc and LSTM; MA3C-1 keeps its LSTM per game).
 */
public final class WarmStart {
  /** The starting parameters and which blocks came from where (global names). */
  public record Result(float[] theta, List<String> copied, List<String> fresh) {}

  private final Path file;
  private final Checkpoint source;
  private final ParameterLayout sourceLayout;

  private WarmStart(Path file, Checkpoint source) {
    this.file = file;
    this.source = source;
    if (source.meta().actionMeanings() == null) {
      throw new IllegalArgumentException(file + " predates action sets in checkpoints: resume that"
          + " run once (--resume) to rewrite its checkpoint, then start from it");
    }
    this.sourceLayout = source.meta().layout();
  }

  /** The source run: its directory (holding checkpoint.bin) or the checkpoint file itself. */
  public static WarmStart load(Path runOrCheckpoint) throws IOException {
    Path file = Files.isDirectory(runOrCheckpoint) ? runOrCheckpoint.resolve(Checkpoint.FILE)
        : runOrCheckpoint;
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no checkpoint to start from at " + file);
    }
    return new WarmStart(file.toAbsolutePath().normalize(), Checkpoint.load(file));
  }

  /** The checkpoint file, absolute: what the run's config records. */
  public Path file() {
    return file;
  }

  public RunConfig sourceConfig() {
    return source.meta().config();
  }

  /**
   * Fails, naming the first misfit, unless every block that {@code target}'s games share exists in
   * the source with the same shape (checked before a run writes anything; the shared blocks do
   * not depend on the games' action counts).
   */
  public void checkFits(ParameterLayout target) {
    Map<String, ParameterLayout.Block> from = byName(sourceLayout);
    RunConfig src = sourceConfig();
    String described = src.net().architecture().id() + (src.net().lstm() ? " LSTM" : " feed-forward");
    for (ParameterLayout.Block b : target.blocks()) {
      if (b.owner() != null) {
        continue;
      }
      ParameterLayout.Block s = from.get(b.globalName());
      if (s == null) {
        throw new IllegalArgumentException("the source run (" + described + ") has no "
            + b.globalName() + " for this " + target.spec().architecture()
            + (target.spec().lstm() ? " LSTM" : " feed-forward") + " net");
      }
      if (!Arrays.equals(s.shape(), b.shape())) {
        throw new IllegalArgumentException("the source run's " + b.globalName() + " is "
            + Arrays.toString(s.shape()) + ", this net's is " + Arrays.toString(b.shape())
            + " (the source is " + described + ")");
      }
    }
  }

  /**
   * {@code fresh} (the target's own initialization) with the source's blocks copied in;
   * {@code actionMeanings} are the target's action sets, game by game.
   */
  public Result apply(ParameterLayout target, float[] fresh,
      Map<String, List<String>> actionMeanings) {
    checkFits(target);
    Map<String, ParameterLayout.Block> from = byName(sourceLayout);
    float[] theta = fresh.clone();
    List<String> copied = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (ParameterLayout.Block b : target.blocks()) {
      ParameterLayout.Block s = from.get(b.globalName());
      // A game the source played with another action count starts fresh; a policy head's outputs
      // are actions, so it is copied only for the same actions in the same order (not, say, for
      // another ROM revision's set of the same size).
      boolean sameActions = !b.localName().startsWith("pi_")
          || actionMeanings.get(b.owner()).equals(source.meta().actionMeanings().get(b.owner()));
      if (s != null && Arrays.equals(s.shape(), b.shape()) && sameActions) {
        System.arraycopy(source.theta(), s.offset(), theta, b.offset(), b.size());
        copied.add(b.globalName());
      } else {
        kept.add(b.globalName());
      }
    }
    return new Result(theta, copied, kept);
  }

  private static Map<String, ParameterLayout.Block> byName(ParameterLayout layout) {
    Map<String, ParameterLayout.Block> out = new LinkedHashMap<>();
    layout.blocks().forEach(b -> out.put(b.globalName(), b));
    return out;
  }
}
