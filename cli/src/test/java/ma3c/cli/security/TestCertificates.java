package ma3c.cli.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;

/**
 * A fresh self-signed certificate for localhost and 127.0.0.1, made with the JDK's keytool, as
 * the PEM files the servers and clients take (--tls-cert, --tls-key, --tls-ca).
 */
public record TestCertificates(Path cert, Path key) {
  public static TestCertificates create(Path dir) throws IOException, InterruptedException {
    Path store = dir.resolve("server.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA",
        "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
        "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException("keytool failed: " + output);
    }
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, "changeit".toCharArray());
      PrivateKey key = (PrivateKey) ks.getKey("server", "changeit".toCharArray());
      Certificate cert = ks.getCertificate("server");
      Path certFile = dir.resolve("server.pem");
      Path keyFile = dir.resolve("server.key");
      Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
      Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded())); // PKCS#8
      return new TestCertificates(certFile, keyFile);
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  /** A token file holding {@code token}. */
  public static Path tokenFile(Path dir, String name, String token) throws IOException {
    return Files.write(dir.resolve(name), List.of(token));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
