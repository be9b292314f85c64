package ma3c.cli.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A bearer token kept in a file (its first line), so that it shows in no command line. */
public final class TokenFiles {
  private TokenFiles() {}

  /** The token; a missing or empty file, or one with characters a header cannot carry, fails. */
  public static String read(Path file) throws IOException {
    String token = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
    if (token.isEmpty()) {
      throw new IOException(file + " holds no token (its first line is empty)");
    }
    if (!token.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
      throw new IOException(file + ": a token is printable ASCII without spaces");
    }
    return token;
  }
}
