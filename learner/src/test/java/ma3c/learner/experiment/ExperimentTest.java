package ma3c.learner.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ma3c.learner.algo.Freeze;
import ma3c.learner.train.TrainOptions;
import ma3c.model.Architecture;
import ma3c.cli.CommandRun;
import ma3c.learner.LearnerMain;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.EpisodeLog;
import ma3c.learner.run.Provenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentTest {
  private static final Path EXPERIMENTS = Path.of("..", "experiments");

  @Test
  void theFiguresManifestsLoadAndShareTheirA3CRuns() throws IOException {
    Manifest fig4 = Manifest.load(EXPERIMENTS.resolve("fig4-pong-breakout.json"));
    Manifest fig4b = Manifest.load(EXPERIMENTS.resolve("fig4-spaceinvaders-phoenix.json"));
    Manifest fig5 = Manifest.load(EXPERIMENTS.resolve("fig5-pong-spaceinvaders.json"));
    List<String> ids4 = ArmRun.plan(fig4).stream().map(ArmRun::id).toList();
    assertEquals(List.of("a3c-pong-lstm-t8-f12M-s1", "a3c-breakout-lstm-t8-f12M-s1",
        "ma3c-1-pong+breakout-lstm-t8-f12M-s1", "ma3c-2-pong+breakout-lstm-t8-f12M-s1"), ids4.subList(0, 4));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), fig4.seeds(), "5 seeds per arm, seed by seed");
    assertEquals(20, ids4.size());
    assertEquals(List.of(1L, 2L, 3L), Manifest.load(EXPERIMENTS.resolve("fig5-pong-spaceinvaders.json")).seeds());
    List<String> ids5 = ArmRun.plan(fig5).stream().map(ArmRun::id).toList();
    assertTrue(ids5.contains("a3c-pong-lstm-t8-f12M-s1"), "Figure 5 reuses Figure 4's A3C Pong run");
    assertTrue(ids5.contains(ArmRun.plan(fig4b).get(0).id()), "and the A3C SpaceInvaders run");
    ArmRun ma3c = ArmRun.plan(fig4).get(2);
    assertEquals(24_000_000, ma3c.frameBudget(fig4), "frames of both games");
    TrainOptions.RunShape shape = ma3c.shape(fig4, Path.of("r"), List.of(), null);
    assertEquals(Map.of("pong", 8, "breakout", 8), shape.threadsPerGame());
    assertEquals(List.of("pong", "breakout"), List.copyOf(shape.threadsPerGame().keySet()));
    assertEquals(Architecture.MA3C_1, shape.arch());
    assertEquals(12_000_000, shape.framesPerGame());
    Manifest six = Manifest.load(EXPERIMENTS.resolve("beyond-six-games.json"));
    assertEquals(8, ArmRun.plan(six).size(), "A3C on each of six games, MA3C-1 and MA3C-2 on all");
    assertEquals(72_000_000, ArmRun.plan(six).stream().mapToLong(r -> r.frameBudget(six)).sum());
    Manifest adaptive = Manifest.load(EXPERIMENTS.resolve("beyond-adaptive-pong-breakout.json"));
    List<ArmRun> allocation = ArmRun.plan(adaptive);
    assertEquals(ids4.get(2), allocation.get(0).id(), "the equal arm is Figure 4's MA3C-1 run");
    assertTrue(allocation.get(1).id().startsWith(ids4.get(2) + "-o"), allocation.get(1).id());
    assertTrue(String.join(" ", allocation.get(1).settings(adaptive)).contains("--allocation adaptive"));
    Manifest distill = Manifest.load(EXPERIMENTS.resolve("beyond-distill-pong-breakout.json"));
    List<ArmRun> students = ArmRun.plan(distill);
    assertEquals(ids4.subList(0, 3), students.subList(0, 3).stream().map(ArmRun::id).toList(),
        "the teachers and the MA3C-1 arm are Figure 4's runs");
    assertEquals(ids4.subList(0, 2), students.get(3).teacherIds());
    assertEquals(List.of(Path.of("runs", ids4.get(0), "export").toString(),
        Path.of("runs", ids4.get(1), "export").toString()),
        students.get(3).shape(distill, Path.of("runs", students.get(3).id()), List.of(), null).teachers());
    Manifest transfer = Manifest.load(EXPERIMENTS.resolve("beyond-transfer-breakout.json"));
    List<ArmRun> held = ArmRun.plan(transfer);
    assertEquals(5, held.size(), "the source, Breakout from scratch, three freeze levels");
    assertEquals(28_000_000, held.stream().mapToLong(r -> r.frameBudget(transfer)).sum());
    TrainOptions.RunShape fineTuned = held.get(4).shape(transfer, Path.of("runs", held.get(4).id()),
        List.of(), null);
    assertEquals(Path.of("runs", held.get(0).id()), fineTuned.initFrom());
    assertEquals(Freeze.TRUNK, fineTuned.freeze());
  }

  @Test
  void otherOptionsMakeAnotherRun(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("m.json");
    Files.writeString(file, manifest(1000, "[\"--lr\", \"0.001\"]"));
    String id = ArmRun.plan(Manifest.load(file)).get(0).id();
    assertTrue(id.startsWith("a3c-catch-ff-t1-f1k-s1-o"), id);
  }

  @Test
  void aBadManifestSaysWhatIsWrong(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"figure\": \"Fig 4\", \"games\": [], \"arms\": [{\"name\": \"x\", "
        + "\"arch\": \"resnet\"}], \"threadsPerGame\": 0, \"framesPerGame\": 0, \"seeds\": [1]}");
    IOException e = assertThrows(IOException.class, () -> Manifest.load(file));
    for (String problem : List.of("figure", "games is empty", "resnet", "threadsPerGame", "framesPerGame")) {
      assertTrue(e.getMessage().contains(problem), e.getMessage());
    }
    Files.writeString(file, "{\"figure\": ");
    assertThrows(IOException.class, () -> Manifest.load(file));
  }

  private static String manifest(long frames, String train) {
    return "// a tiny experiment on the built-in catch game\n{\"figure\": \"tiny\", \"title\": \"Catch\","
        + " \"games\": [\"catch\"], \"arms\": [{\"name\": \"A3C\", \"arch\": \"a3c\"},"
        + " {\"name\": \"MA3C-2\", \"arch\": \"ma3c-2\"}], \"lstm\": false, \"threadsPerGame\": 1,"
        + " \"framesPerGame\": " + frames + ", \"seeds\": [1, 2], \"train\": " + train + "}";
  }

  /** A file where the results would go is refused before any training, not after it. */
  @Test
  void aResultsDirThatIsAFileIsRefusedBeforeTraining(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tiny.json");
    Files.writeString(file, manifest(4_000, "[]"));
    Path notADir = Files.writeString(dir.resolve("results"), "x");
    CommandRun r = CommandRun.of(LearnerMain.commandLine(), "experiment", file.toString(),
        "--runs-dir", dir.resolve("runs").toString(), "--results-dir", notADir.toString());
    r.assertUsageError("--results-dir " + notADir + ": not a directory");
    assertFalse(Files.exists(dir.resolve("runs")), "nothing trained");
  }

  /** The whole command on catch: every arm and seed trained, results written; a rerun trains nothing. */
  @Test
  void runsEveryArmThenReportsAndSkipsFinishedRuns(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tiny.json");
    Files.writeString(file, manifest(4_000, "[\"--progress-every\", \"60\"]"));
    String[] args = {"experiment", file.toString(), "--runs-dir", dir.resolve("runs").toString(),
        "--results-dir", dir.resolve("results").toString()};
    assertEquals(0, LearnerMain.commandLine().execute(args));

    List<ArmRun> plan = ArmRun.plan(Manifest.load(file));
    assertEquals(4, plan.size(), "2 arms x 2 seeds");
    List<Double> evaluatedMeans = new java.util.ArrayList<>();
    for (ArmRun run : plan) {
      Checkpoint c = Checkpoint.load(dir.resolve("runs").resolve(run.id()).resolve(Checkpoint.FILE));
      assertTrue(c.meta().gameFrames().get("catch") >= 4_000, run.id());
      assertTrue(c.meta().gameFrames().get("catch") < 4_000 + 100, "stopped at the game's budget");
      assertTrue(Files.size(dir.resolve("results/tiny/episodes").resolve(run.id() + ".jsonl.gz")) > 0);
      // Evaluated at its budget, and the evaluation kept beside the log.
      Path evaluation = dir.resolve("runs").resolve(run.id()).resolve(ma3c.learner.evaluate.Evaluation.FILE);
      String json = Files.readString(evaluation);
      assertTrue(json.contains("\"framesTrained\": " + c.meta().frames()), json.lines().limit(20).toList().toString());
      assertEquals(json, Files.readString(dir.resolve("results/tiny/episodes").resolve(run.id() + ".evaluation.json")));
      evaluatedMeans.add(com.google.gson.JsonParser.parseString(json).getAsJsonObject()
          .getAsJsonObject("games").getAsJsonObject("catch").getAsJsonObject("summary").get("mean").getAsDouble());
    }
    String md = Files.readString(dir.resolve("results/tiny/results.md"));
    for (double mean : evaluatedMeans) {
      assertTrue(md.contains(" (" + Cells.number(mean) + ") |"), "each seed's evaluation beside its score:\n" + md);
    }
    assertTrue(md.contains("| A3C | 2 |") && md.contains("| MA3C-2 | 2 |"), md);
    assertFalse(md.contains("not run yet"), md);
    assertFalse(md.contains("not evaluated"), "every run evaluated at its budget:\n" + md);
    int parameters = Checkpoint.load(dir.resolve("runs").resolve(plan.get(0).id())
        .resolve(Checkpoint.FILE)).theta().length;
    assertTrue(md.contains(String.format(java.util.Locale.ROOT, "| A3C | 1 | %,d | 1.00 |", parameters)),
        "model sizes from the checkpoints:\n" + md);
    assertTrue(Files.size(dir.resolve("results/tiny/curves.png")) > 10_000);

    long before = Files.getLastModifiedTime(dir.resolve("runs").resolve(plan.get(0).id())
        .resolve(Checkpoint.FILE)).toMillis();
    assertEquals(0, LearnerMain.commandLine().execute(args));
    assertEquals(before, Files.getLastModifiedTime(dir.resolve("runs").resolve(plan.get(0).id())
        .resolve(Checkpoint.FILE)).toMillis(), "a finished run is not touched again");

    // A fresh clone has the kept episode logs and no checkpoint: the sizes come from the games.
    String sizes = md.substring(md.indexOf("## Model size"));
    deleteTree(dir.resolve("runs"));
    assertEquals(0, LearnerMain.commandLine().execute(args("experiment", file.toString(),
        "--report-only", "--runs-dir", dir.resolve("runs").toString(), "--results-dir",
        dir.resolve("results").toString())));
    md = Files.readString(dir.resolve("results/tiny/results.md"));
    assertEquals(sizes, md.substring(md.indexOf("## Model size")), "the same sizes without checkpoints");
  }

  /**
   * A fresh clone has the figures' kept episode logs but no checkpoints: a run shared with a
   * figure already reported is read from there, not trained again, and kept with its provenance
   * (which figure trained it); a log that stops short is trained again.
   */
  @Test
  void aRunKeptInAnotherFiguresResultsIsNotTrainedAgain(@TempDir Path dir) throws Exception {
    Path first = dir.resolve("tiny.json");
    Files.writeString(first, manifest(4_000, "[\"--progress-every\", \"60\"]"));
    Path runs = dir.resolve("runs");
    Path results = dir.resolve("results");
    String[] where = {"--runs-dir", runs.toString(), "--results-dir", results.toString()};
    assertEquals(0, LearnerMain.commandLine().execute(args("experiment", first.toString(), where)));
    List<ArmRun> plan = ArmRun.plan(Manifest.load(first));
    ArmRun a3c = plan.get(0);
    int parameters = Checkpoint.load(runs.resolve(a3c.id()).resolve(Checkpoint.FILE)).theta().length;
    Provenance trained = Provenance.read(Provenance.besideKept(kept(results, "tiny", a3c)));
    assertEquals("tiny", trained.trainedBy());
    assertEquals(Provenance.sha256(kept(results, "tiny", a3c)), trained.sha256());
    assertEquals(List.of(ma3c.cli.ProjectVersion.build()), trained.builds());
    assertTrue(trained.started() != null && trained.note() == null, "a new run, recorded as it started: " + trained);
    for (ArmRun run : plan) {
      if (run.arm().name().equals("A3C")) {
        deleteTree(runs.resolve(run.id()));
      }
    }
    Path second = dir.resolve("tiny-again.json");
    Files.writeString(second, Files.readString(first).replace("\"figure\": \"tiny\"", "\"figure\": \"again\""));
    assertEquals(0, LearnerMain.commandLine().execute(args("experiment", second.toString(), where)));

    assertFalse(Files.exists(runs.resolve(a3c.id())), "the A3C runs were not trained again");
    String md = Files.readString(results.resolve("again/results.md"));
    assertTrue(md.contains("| A3C | 2 |"), "both seeds' curves, from the kept logs:\n" + md);
    assertTrue(md.contains("| " + a3c.id() + " | tiny | " + trained.training().substring(0, 8)),
        "trained by the first figure, that training:\n" + md);
    assertTrue(md.contains(String.format(java.util.Locale.ROOT, "| A3C | 1 | %,d | 1.00 |", parameters)),
        "the A3C model counted from its layout, with catch's actions from MA3C-2's checkpoint:\n" + md);
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(kept(results, "tiny", a3c)),
        Files.readAllBytes(kept(results, "again", a3c))));
    assertEquals(trained, Provenance.read(Provenance.besideKept(kept(results, "again", a3c))),
        "the copy keeps the provenance of the training");

    // A log kept from a run that had not finished (a report written mid-run) is not a finished
    // run; while another figure keeps the same training whole, that copy counts.
    halve(kept(results, "again", a3c));
    assertEquals(0, LearnerMain.commandLine().execute(args("experiment", second.toString(), where)));
    assertFalse(Files.exists(runs.resolve(a3c.id())), "tiny's whole copy counts");
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(kept(results, "tiny", a3c)),
        Files.readAllBytes(kept(results, "again", a3c))), "the same training, kept whole again");
    for (String figure : List.of("tiny", "again")) {
      halve(kept(results, figure, a3c));
    }
    assertEquals(0, LearnerMain.commandLine().execute(args("experiment", second.toString(), where)));
    assertTrue(Files.exists(runs.resolve(a3c.id()).resolve(Checkpoint.FILE)), "trained this time");
    assertFalse(Files.exists(runs.resolve(plan.get(2).id())), "the other seed's kept log is whole");
    assertEquals("again", Provenance.read(Provenance.besideKept(kept(results, "again", a3c))).trainedBy());
  }

  /**
   * Issue 29's swap: two experiments that trained one run id each keep their own log (two
   * trainings, two samples). Neither report reads or rewrites the other's, a run directory of
   * another training does not replace a finished kept log, and each report says that the other
   * log exists and differs.
   */
  @Test
  void twoTrainingsOfOneIdAreNeverSwapped(@TempDir Path dir) throws Exception {
    Path one = dir.resolve("one.json");
    Files.writeString(one, manifest(3_000, "[\"--progress-every\", \"60\"]").replace("[1, 2]", "[1]"));
    Path two = dir.resolve("two.json");
    Files.writeString(two, Files.readString(one).replace("\"figure\": \"tiny\"", "\"figure\": \"two\""));
    Path results = dir.resolve("results");
    Path runs = dir.resolve("runs");
    assertEquals(0, LearnerMain.commandLine().execute(args("experiment", one.toString(),
        "--runs-dir", runs.toString(), "--results-dir", results.toString())));
    ArmRun a3c = ArmRun.plan(Manifest.load(one)).get(0);
    // Figure "two" trained the same id again, elsewhere: another log (one thread on catch is
    // deterministic, so the other sample is made by hand: its first return differs), another
    // training id, and its run directory is the one here now.
    Path twoLog = kept(results, "two", a3c);
    Files.createDirectories(twoLog.getParent());
    List<String> lines = gunzip(kept(results, "tiny", a3c));
    List<String> other = new java.util.ArrayList<>(lines);
    other.set(0, lines.get(0).replaceFirst("\"episodeReturn\":(-?[0-9.]+)", "\"episodeReturn\":0.5"));
    assertFalse(other.equals(lines), "the first line has a return: " + lines.get(0));
    gzip(twoLog, other);
    Provenance twoTraining = new Provenance(a3c.id(), "two", "another-training", null, List.of("b"),
        null, null, null);
    twoTraining.keptAs(twoLog).write(Provenance.besideKept(twoLog));
    twoTraining.write(runs.resolve(a3c.id()).resolve(Provenance.RUN_FILE));
    byte[] tinyBytes = Files.readAllBytes(kept(results, "tiny", a3c));
    byte[] twoBytes = Files.readAllBytes(twoLog);
    String tinyHash = Provenance.sha256(kept(results, "tiny", a3c));
    String twoHash = Provenance.sha256(twoLog);

    // Reported from the kept logs alone (a fresh clone), then with the other training's run
    // directory in place: figure "tiny" reads its own log and leaves the other's alone.
    for (Path runsDir : List.of(dir.resolve("none"), runs)) {
      assertEquals(0, LearnerMain.commandLine().execute(args("experiment", one.toString(), "--report-only",
          "--runs-dir", runsDir.toString(), "--results-dir", results.toString())));
      assertTrue(java.util.Arrays.equals(tinyBytes, Files.readAllBytes(kept(results, "tiny", a3c))));
      assertTrue(java.util.Arrays.equals(twoBytes, Files.readAllBytes(twoLog)));
      String md = Files.readString(results.resolve("tiny/results.md"));
      assertTrue(md.contains("| " + a3c.id() + " | tiny |") && md.contains(tinyHash.substring(0, 12)), md);
      assertTrue(md.contains("two keeps another training of this id (sha256 " + twoHash.substring(0, 12)), md);
      assertEquals(runsDir.equals(runs), md.contains("holds another training of this id (by two), not used"), md);
    }
    // And figure "two" reads its own: the same id, its own sample.
    assertEquals(0, LearnerMain.commandLine().execute(args("experiment", two.toString(), "--report-only",
        "--runs-dir", dir.resolve("none").toString(), "--results-dir", results.toString())));
    assertTrue(java.util.Arrays.equals(tinyBytes, Files.readAllBytes(kept(results, "tiny", a3c))));
    String md = Files.readString(results.resolve("two/results.md"));
    assertTrue(md.contains("| " + a3c.id() + " | two | another- | b |"), md);
    assertTrue(md.contains("tiny keeps another training of this id (sha256 " + tinyHash.substring(0, 12)), md);
  }

  private static List<String> gunzip(Path file) throws IOException {
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    }
  }

  private static void gzip(Path file, List<String> lines) throws IOException {
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
      out.write((String.join("\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private static Path kept(Path results, String figure, ArmRun run) {
    return results.resolve(figure).resolve("episodes").resolve(run.id() + ".jsonl.gz");
  }

  /** Keeps the first half of a compressed episode log, as a report written mid-run would have. */
  private static void halve(Path kept) throws IOException {
    List<String> lines;
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(kept))) {
      lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    }
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(kept))) {
      out.write(String.join("\n", lines.subList(0, lines.size() / 2)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** A kept source run is trained again only when a transfer arm that still has to train needs it. */
  @Test
  void aKeptSourceIsTrainedAgainOnlyForATransferArmThatTrains(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("held.json");
    Files.writeString(file, "{\"figure\": \"held\", \"title\": \"Catch on catch\", \"games\": [\"catch\"],"
        + " \"arms\": [{\"name\": \"Source\", \"arch\": \"ma3c-2\"},"
        + " {\"name\": \"Tuned\", \"arch\": \"ma3c-2\", \"initFrom\": \"Source\", \"freeze\": \"conv\"}],"
        + " \"lstm\": false, \"threadsPerGame\": 1, \"framesPerGame\": 3000, \"seeds\": [1],"
        + " \"train\": [\"--progress-every\", \"60\"]}");
    Path runs = dir.resolve("runs");
    Path results = dir.resolve("results");
    String[] args = {"experiment", file.toString(), "--runs-dir", runs.toString(), "--results-dir",
        results.toString()};
    assertEquals(0, LearnerMain.commandLine().execute(args));
    List<ArmRun> plan = ArmRun.plan(Manifest.load(file));
    Path source = runs.resolve(plan.get(0).id());
    Path tuned = runs.resolve(plan.get(1).id());

    deleteTree(source);
    assertEquals(0, LearnerMain.commandLine().execute(args));
    assertFalse(Files.exists(source), "the transfer arm is finished: its source is not needed");

    deleteTree(tuned);
    Files.delete(results.resolve("held/episodes").resolve(plan.get(1).id() + ".jsonl.gz"));
    assertEquals(0, LearnerMain.commandLine().execute(args));
    assertTrue(Files.exists(source.resolve(Checkpoint.FILE)), "trained again for the transfer arm");
    assertTrue(Files.exists(tuned.resolve(Checkpoint.FILE)));
  }

  private static String[] args(String command, String manifest, String... more) {
    List<String> all = new java.util.ArrayList<>(List.of(command, manifest));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void transferArmsNameAnEarlierSourceArm(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("t.json");
    String head = "{\"figure\": \"t\", \"games\": [\"catch\"], \"threadsPerGame\": 1,"
        + " \"framesPerGame\": 1000, \"seeds\": [1], \"arms\": [";
    Files.writeString(file, head + "{\"name\": \"T\", \"arch\": \"ma3c-2\", \"initFrom\": \"S\"},"
        + "{\"name\": \"S\", \"arch\": \"ma3c-2\", \"games\": [\"pong\"]},"
        + "{\"name\": \"F\", \"arch\": \"ma3c-2\", \"freeze\": \"trunk\"},"
        + "{\"name\": \"L\", \"arch\": \"ma3c-2\", \"initFrom\": \"S\", \"freeze\": \"legs\"}]}");
    IOException e = assertThrows(IOException.class, () -> Manifest.load(file));
    for (String problem : List.of("arm T: initFrom must name an earlier arm", "arm F: freeze needs initFrom",
        "unknown freeze level 'legs'")) {
      assertTrue(e.getMessage().contains(problem), e.getMessage());
    }
  }

  /**
   * A held-out game: a source arm trained on Pong, then catch learned from scratch and on top of
   * the source's frozen trunk; the table shows catch's arms only.
   */
  @Test
  void aTransferExperimentStartsItsArmsFromTheSourceRun(@TempDir Path dir) throws Exception {
    Path roms = ma3c.env.TestRoms.dir("pong");
    Path file = dir.resolve("transfer.json");
    Files.writeString(file, "{\"figure\": \"transfer\", \"title\": \"Catch held out\","
        + " \"games\": [\"catch\"], \"arms\": ["
        + "{\"name\": \"Source\", \"arch\": \"ma3c-2\", \"games\": [\"pong\"]},"
        + "{\"name\": \"Scratch\", \"arch\": \"a3c\"},"
        + "{\"name\": \"Frozen\", \"arch\": \"ma3c-2\", \"initFrom\": \"Source\", \"freeze\": \"trunk\"}],"
        + " \"lstm\": false, \"threadsPerGame\": 1, \"framesPerGame\": 2000, \"seeds\": [1],"
        + " \"train\": [\"--progress-every\", \"60\"]}");
    Path runs = dir.resolve("runs");
    assertEquals(0, LearnerMain.commandLine().execute("experiment", file.toString(), "--runs-dir",
        runs.toString(), "--results-dir", dir.resolve("results").toString(), "--rom-dir", roms.toString()));

    List<ArmRun> plan = ArmRun.plan(Manifest.load(file));
    assertEquals(List.of(List.of("pong"), List.of("catch"), List.of("catch")),
        plan.stream().map(ArmRun::games).toList());
    ArmRun frozen = plan.get(2);
    assertEquals(plan.get(0).id(), frozen.sourceId());
    assertTrue(frozen.id().endsWith("-freeze-trunk"), frozen.id());
    Checkpoint source = Checkpoint.load(runs.resolve(plan.get(0).id()).resolve(Checkpoint.FILE));
    Checkpoint tuned = Checkpoint.load(runs.resolve(frozen.id()).resolve(Checkpoint.FILE));
    assertEquals(runs.resolve(plan.get(0).id()).resolve(Checkpoint.FILE).toAbsolutePath().normalize()
        .toString(), tuned.meta().config().transfer().from());
    // The shared blocks come first in both layouts: conv and fc, left as the source trained them.
    int shared = ma3c.model.NetSpec.FLAT * ma3c.model.NetSpec.HIDDEN;
    assertTrue(java.util.Arrays.equals(source.theta(), 0, shared, tuned.theta(), 0, shared));
    String md = Files.readString(dir.resolve("results/transfer/results.md"));
    assertTrue(md.contains("| Scratch | 1 |") && md.contains("| Frozen | 1 |"), md);
    assertFalse(md.contains("| Source | 0 |") || md.contains("not run yet"), md);
  }

  @Test
  void curvesAreReadOffAtTheGridFrames() {
    List<EpisodeLog.Point> points = List.of(new EpisodeLog.Point(150, 1), new EpisodeLog.Point(420, 3));
    double[] y = ExperimentReport.onGrid(points, 1000);
    assertTrue(Double.isNaN(y[0]), "before the first episode (10 frames)");
    assertEquals(1, y[14], "at 150");
    assertEquals(1, y[40], "at 410");
    assertEquals(3, y[41], "at 420");
    assertEquals(3, y[42]);
    assertTrue(Double.isNaN(y[99]), "past the run's end");
  }
}
