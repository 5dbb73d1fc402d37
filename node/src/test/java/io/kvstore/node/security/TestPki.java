package io.kvstore.node.security;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority for tests, writing PEM files as an operator's would be (certificates,
 * PKCS#8 EC keys): node certificates for localhost / 127.0.0.1, expired ones, and separate CAs.
 */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  private final Path dir;
  private final String name;
  private final KeyPair keys;
  private final X509Certificate cert;

  /** A certificate file and its key file. */
  public record Issued(Path cert, Path key) {}

  private TestPki(Path dir, String name, KeyPair keys, X509Certificate cert) {
    this.dir = dir;
    this.name = name;
    this.keys = keys;
    this.cert = cert;
  }

  /** A new self-signed CA named {@code name}; its certificate is written to {@link #caFile}. */
  public static TestPki ca(Path dir, String name) throws IOException {
    KeyPair keys = keyPair();
    Instant now = Instant.now();
    X500Name subject = new X500Name("CN=" + name);
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject,
        BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(30))), subject, keys.getPublic());
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    TestPki ca = new TestPki(dir, name, keys, sign(b, keys));
    try {
      writePem(ca.caFile(), "CERTIFICATE", ca.cert.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return ca;
  }

  public Path caFile() {
    return dir.resolve(name.replace(' ', '-') + "-ca.crt");
  }

  /** A certificate for {@code cn}, valid from an hour ago for a day, naming localhost. */
  public Issued issue(String cn) throws IOException {
    Instant now = Instant.now();
    return issue(cn, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
  }

  /** A certificate for {@code cn} valid over [{@code from}, {@code to}], naming localhost. */
  public Issued issue(String cn, Instant from, Instant to) throws IOException {
    KeyPair leafKeys = keyPair();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(cert,
        BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(to),
        new X500Name("CN=" + cn), leafKeys.getPublic());
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
          new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.dNSName, "localhost"),
          new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    X509Certificate leaf = sign(b, keys);
    String base = name.replace(' ', '-') + "-" + cn + "-" + SERIAL.incrementAndGet();
    Issued out = new Issued(dir.resolve(base + ".crt"), dir.resolve(base + ".key"));
    try {
      writePem(out.cert(), "CERTIFICATE", leaf.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    writePem(out.key(), "PRIVATE KEY", leafKeys.getPrivate().getEncoded());
    return out;
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) {
    try {
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void writePem(Path file, String type, byte[] der) throws IOException {
    Files.writeString(file, "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n");
  }
}
