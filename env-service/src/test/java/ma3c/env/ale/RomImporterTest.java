package ma3c.env.ale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import ma3c.env.TestRoms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RomImporterTest {
  @Test
  void importsSupportedRomsUnderTheirGameNameAndReportsTheRest(@TempDir Path tmp) throws Exception {
    Path from = Files.createDirectories(tmp.resolve("downloads/nested"));
    Files.copy(TestRoms.dir().resolve("pong.bin"), from.resolve("Pong (1972).a26"));
    Files.write(from.resolve("readme.txt"), "not a rom".getBytes());
    Path romDir = tmp.resolve("roms");

    List<RomImporter.Outcome> outcomes = RomImporter.importAll(tmp.resolve("downloads"), romDir);

    assertEquals(2, outcomes.size());
    assertEquals(Optional.of("pong"), outcomes.get(0).game(), "identified by MD5, not by name");
    assertEquals(Optional.empty(), outcomes.get(1).game());
    assertArrayEquals(Files.readAllBytes(TestRoms.dir().resolve("pong.bin")),
        Files.readAllBytes(romDir.resolve("pong.bin")));
    try (var left = Files.list(romDir)) {
      assertTrue(left.allMatch(p -> p.getFileName().toString().equals("pong.bin")), "no temp files left");
    }
  }
}
