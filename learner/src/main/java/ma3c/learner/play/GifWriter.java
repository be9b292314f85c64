package ma3c.learner.play;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.FileImageOutputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes gray frames, as they come, into a looping animated GIF file (JDK ImageIO's GIF sequence
 * writer on a file stream): memory stays one frame whatever the episode's length (a buffered
 * 100k-step episode at 3x scale would hold ~1.7 GB).
 */
public final class GifWriter implements Closeable {
  private final int height;
  private final int width;
  private final int scale;
  private final int delayMs;
  private final ImageWriter writer;
  private final ImageOutputStream out;
  private int frames;

  /** Starts the animation in {@code file} (replaced), {@code delayMs} between frames. */
  public GifWriter(Path file, int height, int width, int scale, int delayMs) throws IOException {
    this.height = height;
    this.width = width;
    this.scale = scale;
    this.delayMs = delayMs;
    Files.deleteIfExists(file); // a file stream writes over, it does not truncate
    this.out = new FileImageOutputStream(file.toFile());
    this.writer = ImageIO.getImageWritersByFormatName("gif").next();
    writer.setOutput(out);
    writer.prepareWriteSequence(null);
  }

  /** Writes one frame of packed uint8 gray pixels (height x width). */
  public void add(byte[] gray) throws IOException {
    if (gray.length != height * width) {
      throw new IllegalArgumentException("frame has " + gray.length + " pixels, expected "
          + height + " x " + width);
    }
    BufferedImage frame = scaled(gray);
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
    if (frames == 0) {
      root.appendChild(loopForever());
    }
    meta.setFromTree(format, root);
    writer.writeToSequence(new IIOImage(frame, null, meta), null);
    frames++;
  }

  /** Frames written so far. */
  public int size() {
    return frames;
  }

  /** Ends the animation and closes the file. */
  @Override
  public void close() throws IOException {
    try {
      writer.endWriteSequence();
    } finally {
      writer.dispose();
      out.close();
    }
  }

  private BufferedImage scaled(byte[] gray) {
    BufferedImage image = new BufferedImage(width * scale, height * scale, BufferedImage.TYPE_BYTE_GRAY);
    byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < height * scale; y++) {
      for (int x = 0; x < width * scale; x++) {
        pixels[y * width * scale + x] = gray[(y / scale) * width + x / scale];
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
