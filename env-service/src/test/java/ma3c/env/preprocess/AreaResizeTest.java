package ma3c.env.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AreaResizeTest {
  @Test
  void integerFactorAveragesBlocks() {
    byte[] src = {0, 2, 10, 20, 4, 6, 30, 40, (byte) 200, (byte) 200, 1, 1, (byte) 255, (byte) 255, 1, 3};
    byte[] dst = new byte[4];
    new AreaResize(4, 4, 2, 2).apply(src, dst);
    assertArrayEquals(new byte[] {3, 25, (byte) 228, 2}, dst, "each output is its 2x2 block's mean");
  }

  @Test
  void fractionalFactorWeighsPartlyCoveredPixels() {
    // 5 -> 2 columns: out0 = (a + b + c/2) / 2.5, out1 = (c/2 + d + e) / 2.5
    byte[] src = {10, 20, 30, 40, 50};
    byte[] dst = new byte[2];
    new AreaResize(1, 5, 1, 2).apply(src, dst);
    assertEquals(18, dst[0], "(10 + 20 + 15) / 2.5 = 18");
    assertEquals(42, dst[1], "(15 + 40 + 50) / 2.5 = 42");
  }

  @Test
  void atariScreenToEightyFourKeepsAFlatImageFlatAndUnsigned() {
    byte[] src = new byte[210 * 160];
    Arrays.fill(src, (byte) 250);
    byte[] dst = new byte[84 * 84];
    new AreaResize(210, 160, 84, 84).apply(src, dst);
    for (byte b : dst) {
      assertEquals(250, b & 0xFF, "weights sum to one, and bytes are read as unsigned");
    }
  }

  @Test
  void maxPoolIsUnsigned() {
    byte[] a = {(byte) 200, 5};
    MaxPool.maxInto(a, new byte[] {100, (byte) 130});
    assertArrayEquals(new byte[] {(byte) 200, (byte) 130}, a);
  }
}
