package ma3c.policy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/** Collects gray frames of an episode and writes them as a looping animated GIF (JDK ImageIO). */
public final class GifWriter {
  private final int height;
  private final int width;
  private final int scale;
  private final List<BufferedImage> frames = new ArrayList<>();

  public GifWriter(int height, int width, int scale) {
    this.height = height;
    this.width = width;
    this.scale = scale;
  }

  /** Adds one frame of packed uint8 gray pixels (height x width). */
  public void add(byte[] gray) {
    BufferedImage image = new BufferedImage(width * scale, height * scale, BufferedImage.TYPE_BYTE_GRAY);
    byte[] out = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < height * scale; y++) {
      for (int x = 0; x < width * scale; x++) {
        out[y * width * scale + x] = gray[(y / scale) * width + x / scale];
      }
    }
    frames.add(image);
  }

  public int size() {
    return frames.size();
  }

  /** Writes the animation with {@code delayMs} between frames. */
  public void write(OutputStream target, int delayMs) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(target)) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      for (BufferedImage frame : frames) {
        IIOMetadata meta = writer.getDefaultImageMetadata(
            ImageTypeSpecifier.createFromRenderedImage(frame), null);
        String format = meta.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
        IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(Math.max(1, delayMs / 10)));
        control.setAttribute("transparentColorIndex", "0");
        root.appendChild(control);
        IIOMetadataNode apps = new IIOMetadataNode("ApplicationExtensions");
        IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
        loop.setAttribute("applicationID", "NETSCAPE");
        loop.setAttribute("authenticationCode", "2.0");
        loop.setUserObject(new byte[] {1, 0, 0});
        apps.appendChild(loop);
        root.appendChild(apps);
        meta.setFromTree(format, root);
        writer.writeToSequence(new IIOImage(frame, null, meta), null);
      }
      writer.endWriteSequence();
    } finally {
      writer.dispose();
    }
  }
}
