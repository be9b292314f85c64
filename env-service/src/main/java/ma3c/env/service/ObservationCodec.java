package ma3c.env.service;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.util.Arrays;
import java.util.zip.Deflater;
import ma3c.env.v1.Compression;
import ma3c.env.v1.Observation;
import ma3c.env.v1.ResetResponse;
import ma3c.env.v1.StepResponse;

/** Applies a session's observation compression to the responses it sends. */
final class ObservationCodec implements AutoCloseable {
  private final Compression compression;
  private final Deflater deflater;
  private byte[] buffer = new byte[16 * 1024];

  ObservationCodec(Compression compression) {
    this.compression = compression;
    // Speed over ratio: Atari frames are mostly flat and compress well at the fastest level.
    this.deflater = compression == Compression.ZLIB ? new Deflater(Deflater.BEST_SPEED) : null;
  }

  ResetResponse encode(ResetResponse reset) {
    return reset.toBuilder().setObservation(encode(reset.getObservation())).build();
  }

  StepResponse encode(StepResponse step) {
    return step.toBuilder().setObservation(encode(step.getObservation())).build();
  }

  private Observation encode(Observation raw) {
    if (deflater == null) {
      return raw.toBuilder().setCompression(Compression.NONE).build();
    }
    return Observation.newBuilder()
        .setData(deflate(raw.getData()))
        .setCompression(Compression.ZLIB)
        .build();
  }

  private ByteString deflate(ByteString data) {
    deflater.reset();
    deflater.setInput(data.toByteArray());
    deflater.finish();
    int n = 0;
    while (!deflater.finished()) {
      if (n == buffer.length) {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
      n += deflater.deflate(buffer, n, buffer.length - n);
    }
    return UnsafeByteOperations.unsafeWrap(Arrays.copyOf(buffer, n));
  }

  @Override
  public void close() {
    if (deflater != null) {
      deflater.end();
    }
  }
}
