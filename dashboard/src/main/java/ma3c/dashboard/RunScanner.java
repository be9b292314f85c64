package ma3c.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The runs under the dashboard's directories: each directory that is a run itself, and every run
 * directory directly inside one (runs/, experiments/runs/). Scanned again at each listing, so a
 * run started after the dashboard shows up; a run keeps its id (its directory's name, made unique
 * with ~2, ~3 when two directories share a name) and what was read of it for as long as it exists.
 */
final class RunScanner {
  private final List<Path> roots;
  private final Map<Path, Run> runs = new LinkedHashMap<>();

  RunScanner(List<Path> roots) {
    this.roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  List<Path> roots() {
    return roots;
  }

  /** The runs found now, in the order of the roots, then by name. */
  synchronized List<Run> scan() throws IOException {
    List<Path> found = new ArrayList<>();
    for (Path root : roots) {
      if (Run.isRun(root)) {
        found.add(root);
      }
      if (Files.isDirectory(root)) {
        try (Stream<Path> children = Files.list(root)) {
          children.filter(Run::isRun).sorted().forEach(found::add);
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
      }
    }
    runs.keySet().retainAll(new HashSet<>(found));
    Set<String> ids = new HashSet<>();
    runs.values().forEach(r -> ids.add(r.id()));
    List<Run> out = new ArrayList<>();
    for (Path dir : found) {
      Run run = runs.get(dir);
      if (run == null) {
        String name = dir.getFileName() == null ? "run" : dir.getFileName().toString();
        String id = name;
        for (int n = 2; ids.contains(id); n++) {
          id = name + "~" + n;
        }
        ids.add(id);
        run = new Run(id, dir);
        runs.put(dir, run);
      }
      if (!out.contains(run)) {
        out.add(run);
      }
    }
    return out;
  }

  /** The run with this id among those of the last scan, else after a new one; null if none. */
  synchronized Run find(String id) throws IOException {
    for (Run r : runs.values()) {
      if (r.id().equals(id)) {
        return r;
      }
    }
    return scan().stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
  }
}
