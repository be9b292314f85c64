package ma3c.learner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** README's defaults table says what Settings declares: every setting, with its default. */
class ReadmeDefaultsTest {
  private static final Pattern ROW = Pattern.compile("^\\| [^|]+ \\| `(--[a-z-]+)` \\| ([^|]+) \\|");

  @Test
  void theReadmeTableListsEverySettingWithItsDefault() throws IOException {
    Map<String, String> table = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("..", "README.md"))) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        table.put(m.group(1), m.group(2).trim());
      }
    }
    List<String> declared = Settings.ALL.stream().map(Setting::option).toList();
    assertEquals(declared.stream().sorted().toList(), table.keySet().stream().sorted().toList(),
        "README's table and Settings list the same options");
    for (Setting<?> s : Settings.ALL) {
      String cell = table.get(s.option());
      assertNotNull(cell, s.option());
      if (s.defaultValue() instanceof Number n && !s.isFlag()) {
        // The cell's first word is the number ("3e-4, annealed linearly..."), written as people do.
        double written = Double.parseDouble(cell.split("[ ,]")[0]);
        assertEquals(n.doubleValue(), written, Math.abs(n.doubleValue()) * 1e-12,
            s.option() + ": README says " + cell);
      } else {
        assertEquals(s.defaultText(), cell, s.option());
      }
    }
  }
}
