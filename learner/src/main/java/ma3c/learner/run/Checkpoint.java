package ma3c.learner.run;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import com.google.gson.JsonObject;
import ma3c.learner.allocation.AllocationPolicy;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;
import ma3c.runformat.RunFiles;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Everything --resume needs: config, counters, recent scores, parameters and RMSProp statistics.
 * One binary file: magic, version, JSON metadata, the two float arrays, and a CRC32 of it all;
 * written atomically, so a crash mid-save leaves the previous checkpoint whole. Version 1 (a flat
 * run configuration) is read and upgraded, so runs started by an earlier build resume.
 */
public record Checkpoint(Meta meta, float[] theta, float[] meanSquare) {
  public static final String FILE = RunFiles.CHECKPOINT;
  private static final long MAGIC = 0x4d4133434b505431L; // "MA3CKPT1"
  private static final int VERSION = 2;
  private static final int MAX_META_BYTES = 64 << 20;

  /**
   * The JSON part.
   *
   * @param logBytes length of each log of the run directory when this was written, so that a
   *     resume drops what was logged after it; null in checkpoints that predate it
   * @param gameFrames frames per game; null in checkpoints that predate it
   * @param allocation adaptive allocation's state; null under equal allocation and in
   *     checkpoints that predate it
   */
  public record Meta(RunConfig config, long frames, long updates, double elapsedSeconds,
      Map<String, Long> episodes,
      Map<String, List<Double>> recentReturns, Map<String, List<String>> actionMeanings,
      String savedAt, Map<String, Long> logBytes, Map<String, Long> gameFrames,
      Allocation allocation) {
    /**
     * The layout of the net these parameters fill: the run's architecture with each game's
     * action count. Needs the action sets, which checkpoints of old runs lack (null).
     */
    public ParameterLayout layout() {
      if (actionMeanings == null) {
        throw new IllegalArgumentException("this checkpoint predates action sets in checkpoints:"
            + " resume its run once (--resume) to rewrite it");
      }
      Map<String, Integer> counts = new java.util.LinkedHashMap<>();
      config.games().forEach(g -> counts.put(g, actionMeanings.get(g).size()));
      return new ParameterLayout(new NetSpec(config.arch(), config.net().lstm(), counts));
    }
  }

  /**
   * Where adaptive thread allocation stood: each game's running threads, the frames of the last
   * decision and what the policy remembers.
   */
  public record Allocation(Map<String, Integer> active, long decidedAtFrames,
      AllocationPolicy.Memory memory) {}

  /** This checkpoint continued under {@code config} (a resume's allowed changes). */
  public Checkpoint withConfig(RunConfig config) {
    return new Checkpoint(new Meta(config, meta.frames(), meta.updates(), meta.elapsedSeconds(),
        meta.episodes(), meta.recentReturns(), meta.actionMeanings(), meta.savedAt(),
        meta.logBytes(), meta.gameFrames(), meta.allocation()), theta, meanSquare);
  }

  public void save(Path file) throws IOException {
    byte[] json = Json.PRETTY.toJson(meta).getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(file, raw -> {
      CRC32 crc = new CRC32();
      DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc));
      out.writeLong(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(json.length);
      out.write(json);
      writeFloats(out, theta);
      writeFloats(out, meanSquare);
      out.flush();
      new DataOutputStream(raw).writeLong(crc.getValue());
    });
  }

  /** Reads a checkpoint; an IOException's message says what is wrong with the file in one line. */
  public static Checkpoint load(Path file) throws IOException {
    try (InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(file))) {
      CRC32 crc = new CRC32();
      DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
      if (in.readLong() != MAGIC) {
        throw new IOException(file + " is not an MA3C checkpoint");
      }
      int version = in.readInt();
      if (version < 1 || version > VERSION) {
        throw new IOException(file + ": checkpoint version " + version + ", this build reads 1 to "
            + VERSION + " (a newer build wrote it?)");
      }
      int jsonLength = in.readInt();
      if (jsonLength < 0 || jsonLength > MAX_META_BYTES) {
        throw new IOException(file + " is corrupt (metadata length " + jsonLength + ")");
      }
      byte[] json = new byte[jsonLength];
      in.readFully(json);
      float[] theta = readFloats(in);
      float[] meanSquare = readFloats(in);
      long expected = crc.getValue();
      if (new DataInputStream(raw).readLong() != expected) {
        throw new IOException(file + " is corrupt (CRC mismatch)");
      }
      // The CRC covers only what precedes it: bytes after it mean the file is not what save wrote.
      long after = raw.transferTo(java.io.OutputStream.nullOutputStream());
      if (after > 0) {
        throw new IOException(file + " is corrupt (" + after + " bytes after its end)");
      }
      Meta meta;
      try {
        JsonObject tree = JsonParser.parseString(new String(json, StandardCharsets.UTF_8))
            .getAsJsonObject();
        if (version == 1) {
          tree.add("config", configFromVersion1(tree.getAsJsonObject("config")));
        }
        meta = Json.LINE.fromJson(tree, Meta.class);
      } catch (JsonParseException | IllegalStateException | ClassCastException e) {
        throw new IOException(file + " is corrupt (metadata: " + e.getMessage() + ")", e);
      }
      if (meta == null || meta.config() == null) {
        throw new IOException(file + " is corrupt (metadata without the run's configuration)");
      }
      for (float v : theta) {
        if (!Float.isFinite(v)) {
          // Never written by a run (a diverged run keeps its last good checkpoint): not ours.
          throw new IOException(file + " holds parameters that are not finite: it cannot be used");
        }
      }
      if (theta.length != meanSquare.length) {
        throw new IOException(file + " is corrupt (" + theta.length + " parameters, "
            + meanSquare.length + " RMSProp statistics)");
      }
      return new Checkpoint(meta, theta, meanSquare);
    } catch (EOFException e) {
      throw new IOException(file + " is truncated (an interrupted copy?)", e);
    }
  }

  /** Version 1 kept the run configuration flat; version 2 groups it: {new path, old path}. */
  private static final String[][] VERSION_1_FIELDS = {
      {"net.architecture", "architecture"}, {"net.lstm", "lstm"},
      {"threadsPerGame", "threadsPerGame"},
      {"a3c.rollout.tMax", "a3c.tMax"}, {"a3c.rollout.gamma", "a3c.gamma"},
      {"a3c.rollout.rewardClip", "a3c.rewardClip"},
      {"a3c.loss.entropyBeta", "a3c.entropyBeta"}, {"a3c.loss.valueCoef", "a3c.valueCoef"},
      {"a3c.loss.gradClipNorm", "a3c.gradClipNorm"},
      {"a3c.rmsProp.learningRate", "a3c.learningRate"}, {"a3c.rmsProp.alpha", "a3c.rmsAlpha"},
      {"a3c.rmsProp.epsilon", "a3c.rmsEpsilon"}, {"a3c.rmsProp.init", "a3c.rmsInit"},
      {"a3c.budget.frames", "a3c.frameBudget"}, {"a3c.budget.framesPerGame", "a3c.framesPerGame"},
      {"env.endpoints", "envEndpoints"}, {"env.romDir", "romDir"},
      {"env.stickyActions", "stickyActions"}, {"env.noopMax", "noopMax"},
      {"env.terminalOnLifeLoss", "terminalOnLifeLoss"},
      {"seed", "seed"},
      {"reporting.checkpointSeconds", "checkpointSeconds"},
      {"reporting.progressSeconds", "progressSeconds"}};

  private static JsonObject configFromVersion1(JsonObject v1) {
    JsonObject v2 = new JsonObject();
    for (String[] field : VERSION_1_FIELDS) {
      String[] from = field[1].split("\\.");
      JsonObject source = v1;
      for (int i = 0; i < from.length - 1; i++) {
        source = source.getAsJsonObject(from[i]);
      }
      String[] to = field[0].split("\\.");
      JsonObject target = v2;
      for (int i = 0; i < to.length - 1; i++) {
        if (!target.has(to[i])) {
          target.add(to[i], new JsonObject());
        }
        target = target.getAsJsonObject(to[i]);
      }
      target.add(to[to.length - 1], source.get(from[from.length - 1]));
    }
    return v2;
  }

  private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
    out.writeInt(values.length);
    ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(values);
    out.write(buf.array());
  }

  private static float[] readFloats(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 100_000_000) {
      throw new IOException("checkpoint is corrupt (implausible array length " + n + ")");
    }
    byte[] bytes = new byte[n * 4];
    in.readFully(bytes);
    float[] values = new float[n];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }
}
