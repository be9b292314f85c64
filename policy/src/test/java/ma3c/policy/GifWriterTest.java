package ma3c.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;

class GifWriterTest {
  @Test
  void writesEveryFrameInOrderTheLastIncluded() throws Exception {
    GifWriter gif = new GifWriter(84, 84, 3);
    for (int f = 0; f < 5; f++) {
      byte[] frame = new byte[84 * 84];
      frame[84 * 84 - 1] = (byte) (40 * f);
      gif.add(frame);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    gif.write(out, 50);
    ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(out.toByteArray()))) {
      reader.setInput(in);
      assertEquals(5, reader.getNumImages(true));
      BufferedImage last = reader.read(4);
      assertEquals(252, last.getWidth());
      assertEquals(160, last.getRaster().getSample(251, 251, 0), "the last frame's last pixel, scaled x3");
      assertEquals(0, last.getRaster().getSample(248, 248, 0));
    } finally {
      reader.dispose();
    }
  }
}
