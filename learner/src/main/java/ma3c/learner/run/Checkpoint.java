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
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Everything --resume needs: config, counters, recent scores, parameters and RMSProp statistics.
 * One binary file: magic, version, JSON metadata, the two float arrays, and a CRC32 of it all;
 * written atomically, so a crash mid-save leaves the previous checkpoint whole. Version 1 (a flat
 * run configuration) is read and upgraded, so runs started by an earlier build resume.
 */
public record Checkpoint(Meta meta, float[] theta, float[] meanSquare) {
  public static final String FILE = "checkpoint.bin";
  private static final long MAGIC = 0x4d4133434b505431L; // "MA3CKPT1"
  private static final int VERSION = 2;
  private static final int MAX_META_BYTES = 64 << 20;

  /**
   * The JSON part.
   *
   * @param logBytes length of each log of the run directory when this was written, so that a
   *     resume drops what was logged after it; null in checkpoints that predate it
   * @param gameFrames frames per game; null in checkpoints that predate it
   */
  public record Meta(RunConfig config, long frames, long updates, double elapsedSeconds,
      Map<String, Long> episodes,
      Map<String, List<Double>> recentReturns, Map<String, List<String>> actionMeanings,
      String savedAt, Map<String, Long> logBytes, Map<String, Long> gameFrames) {}

  /** This checkpoint continued under {@code config} (a resume's allowed changes). */
  public Checkpoint withConfig(RunConfig config) {
    return new Checkpoint(new Meta(config, meta.frames(), meta.updates(), meta.elapsedSeconds(),
        meta.episodes(), meta.recentReturns(), meta.actionMeanings(), meta.savedAt(),
        meta.logBytes(), meta.gameFrames()), theta, meanSquare);
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
      if (theta.length != meanSquare.length) {
        throw new IOException(file + " is corrupt (" + theta.length + " parameters, "
            + meanSquare.length + " RMSProp statistics)");
      }
      return new Checkpoint(meta, theta, meanSquare);
    } catch (EOFException e) {
      throw new IOException(file + " is truncated (an interrupted copy?)", e);
    }
  }

  /** Version 1 kept the run configuration flat; version 2 groups it into named records. */
  private static JsonObject configFromVersion1(JsonObject v1) {
    JsonObject net = new JsonObject();
    net.add("architecture", v1.get("architecture"));
    net.add("lstm", v1.get("lstm"));
    JsonObject a = v1.getAsJsonObject("a3c");
    JsonObject rollout = new JsonObject();
    rollout.add("tMax", a.get("tMax"));
    rollout.add("gamma", a.get("gamma"));
    rollout.add("rewardClip", a.get("rewardClip"));
    JsonObject loss = new JsonObject();
    loss.add("entropyBeta", a.get("entropyBeta"));
    loss.add("valueCoef", a.get("valueCoef"));
    loss.add("gradClipNorm", a.get("gradClipNorm"));
    JsonObject rmsProp = new JsonObject();
    rmsProp.add("learningRate", a.get("learningRate"));
    rmsProp.add("alpha", a.get("rmsAlpha"));
    rmsProp.add("epsilon", a.get("rmsEpsilon"));
    rmsProp.add("init", a.get("rmsInit"));
    JsonObject budget = new JsonObject();
    budget.add("frames", a.get("frameBudget"));
    budget.add("framesPerGame", a.get("framesPerGame"));
    JsonObject a3c = new JsonObject();
    a3c.add("rollout", rollout);
    a3c.add("loss", loss);
    a3c.add("rmsProp", rmsProp);
    a3c.add("budget", budget);
    JsonObject env = new JsonObject();
    env.add("endpoints", v1.get("envEndpoints"));
    env.add("romDir", v1.get("romDir"));
    env.add("stickyActions", v1.get("stickyActions"));
    env.add("noopMax", v1.get("noopMax"));
    env.add("terminalOnLifeLoss", v1.get("terminalOnLifeLoss"));
    JsonObject reporting = new JsonObject();
    reporting.add("checkpointSeconds", v1.get("checkpointSeconds"));
    reporting.add("progressSeconds", v1.get("progressSeconds"));
    JsonObject v2 = new JsonObject();
    v2.add("net", net);
    v2.add("threadsPerGame", v1.get("threadsPerGame"));
    v2.add("a3c", a3c);
    v2.add("env", env);
    v2.add("seed", v1.get("seed"));
    v2.add("reporting", reporting);
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
