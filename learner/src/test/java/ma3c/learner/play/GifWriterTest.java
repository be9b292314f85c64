package ma3c.learner.play;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GifWriterTest {
  @Test
  void writesEveryFrameInOrderAsItComesTheLastIncluded(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("episode.gif");
    Files.writeString(file, "an older, longer file that must not leave a tail behind".repeat(5000));
    long written;
    try (GifWriter gif = new GifWriter(file, 84, 84, 3, 50)) {
      for (int f = 0; f < 5; f++) {
        byte[] frame = new byte[84 * 84];
        frame[84 * 84 - 1] = (byte) (40 * f);
        gif.add(frame);
      }
      written = Files.size(file);
      assertEquals(5, gif.size());
    }
    assertTrue(written > 0, "frames reach the file before the end: streamed, not buffered");
    ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      reader.setInput(in);
      assertEquals(5, reader.getNumImages(true));
      BufferedImage last = reader.read(4);
      assertEquals(252, last.getWidth());
      assertEquals(160, last.getRaster().getSample(251, 251, 0), "the last frame's last pixel, scaled x3");
      assertEquals(0, last.getRaster().getSample(248, 248, 0));
    } finally {
      reader.dispose();
    }
    assertTrue(Files.size(file) < 200_000, "the older file's bytes are gone: " + Files.size(file));
  }
}
