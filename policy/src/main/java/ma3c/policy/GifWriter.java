package ma3c.policy;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
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

/**
 * Collects gray frames of an episode and writes them, every one in order, as a looping animated
 * GIF (JDK ImageIO). Frames are kept at their own size and scaled only while writing: a long
 * episode would otherwise hold scale^2 times the memory.
 */
public final class GifWriter {
  private final int height;
  private final int width;
  private final int scale;
  private final List<byte[]> frames = new ArrayList<>();

  public GifWriter(int height, int width, int scale) {
    this.height = height;
    this.width = width;
    this.scale = scale;
  }

  /** Adds one frame of packed uint8 gray pixels (height x width); the array is copied. */
  public void add(byte[] gray) {
    if (gray.length != height * width) {
      throw new IllegalArgumentException("frame has " + gray.length + " pixels, expected "
          + height + " x " + width);
    }
    frames.add(gray.clone());
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
      for (int i = 0; i < frames.size(); i++) {
        BufferedImage frame = scaled(frames.get(i));
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
        if (i == 0) {
          root.appendChild(loopForever());
        }
        meta.setFromTree(format, root);
        writer.writeToSequence(new IIOImage(frame, null, meta), null);
      }
      writer.endWriteSequence();
    } finally {
      writer.dispose();
    }
  }

  private BufferedImage scaled(byte[] gray) {
    BufferedImage image = new BufferedImage(width * scale, height * scale, BufferedImage.TYPE_BYTE_GRAY);
    byte[] out = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < height * scale; y++) {
      for (int x = 0; x < width * scale; x++) {
        out[y * width * scale + x] = gray[(y / scale) * width + x / scale];
      }
    }
    return image;
  }

  /** The NETSCAPE2.0 extension (loop count 0: forever), once, on the first frame. */
  private static IIOMetadataNode loopForever() {
    IIOMetadataNode apps = new IIOMetadataNode("ApplicationExtensions");
    IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
    loop.setAttribute("applicationID", "NETSCAPE");
    loop.setAttribute("authenticationCode", "2.0");
    loop.setUserObject(new byte[] {1, 0, 0});
    apps.appendChild(loop);
    return apps;
  }
}
