package io.kvstore.node.security;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.kvstore.node.config.ConfigException;
import io.kvstore.node.config.SecurityConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A node's TLS credentials from its PEM files: the gRPC server side (its certificate; a client
 * certificate is optional at the handshake and, when presented, must chain to the cluster CA) and
 * the peer side (the same certificate presented to peers, whose server certificates must chain to
 * the cluster CA and name the address dialled), and the HTTPS metrics port's. The files are checked when the node starts, so a
 * wrong one fails there, named, rather than as handshake failures on every peer: each parses,
 * the certificate is within its validity period and is signed by the CA. Stateless.
 */
public final class Tls {
  private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PKCS8_END = "-----END PRIVATE KEY-----";

  private Tls() {}

  /** Checks the files of {@code config} (see the class comment); throws naming the problem. */
  public static void check(SecurityConfig config, Instant now) {
    List<X509Certificate> chain = certificates("tls.cert", config.cert());
    List<X509Certificate> cas = certificates("tls.ca", config.ca());
    readable("tls.key", config.key());
    X509Certificate leaf = chain.getFirst();
    if (now.isAfter(leaf.getNotAfter().toInstant())) {
      throw new ConfigException("tls.cert " + config.cert() + " expired on "
          + leaf.getNotAfter().toInstant());
    }
    if (now.isBefore(leaf.getNotBefore().toInstant())) {
      throw new ConfigException("tls.cert " + config.cert() + " is not valid before "
          + leaf.getNotBefore().toInstant());
    }
    X509Certificate top = chain.getLast();
    if (cas.stream().noneMatch(ca -> signedBy(top, ca))) {
      throw new ConfigException("tls.cert " + config.cert() + " (" + leaf.getSubjectX500Principal()
          + ") is not signed by the cluster CA in tls.ca " + config.ca());
    }
  }

  /** The node's server credentials: TLS with its certificate, client certificates optional. */
  public static ServerCredentials server(SecurityConfig config) {
    try {
      return TlsServerCredentials.newBuilder()
          .keyManager(config.cert().toFile(), config.key().toFile())
          .trustManager(config.ca().toFile())
          .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL)
          .build();
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("tls: cannot use " + config.cert() + " / " + config.key() + ": "
          + e.getMessage());
    }
  }

  /** Credentials for calls to peers: the node's certificate as client certificate, CA trusted. */
  public static ChannelCredentials peer(SecurityConfig config) {
    try {
      return TlsChannelCredentials.newBuilder()
          .keyManager(config.cert().toFile(), config.key().toFile())
          .trustManager(config.ca().toFile())
          .build();
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("tls: cannot use " + config.cert() + " / " + config.key() + ": "
          + e.getMessage());
    }
  }

  /**
   * A JDK SSL context serving the node's certificate (the HTTPS metrics port): the PEM chain and
   * its PKCS#8 key (EC or RSA) in an in-memory key store.
   */
  public static SSLContext https(SecurityConfig config) {
    List<X509Certificate> chain = certificates("tls.cert", config.cert());
    try {
      String pem = Files.readString(config.key());
      int begin = pem.indexOf(PKCS8_BEGIN);
      int end = pem.indexOf(PKCS8_END);
      if (begin < 0 || end < begin) {
        throw new ConfigException("tls.key " + config.key()
            + " is not a PEM PKCS#8 private key (BEGIN PRIVATE KEY)");
      }
      byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + PKCS8_BEGIN.length(), end));
      PrivateKey key = privateKey(config.key(), new PKCS8EncodedKeySpec(der));
      char[] password = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("node", key, password, chain.toArray(new Certificate[0]));
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (IOException e) {
      throw new ConfigException("cannot read tls.key " + config.key() + ": " + e.getMessage());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new ConfigException("tls: cannot use " + config.cert() + " / " + config.key() + ": "
          + e.getMessage());
    }
  }

  private static PrivateKey privateKey(Path file, PKCS8EncodedKeySpec spec)
      throws NoSuchAlgorithmException {
    for (String algorithm : List.of("EC", "RSA")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (InvalidKeySpecException e) {
        // try the next algorithm
      }
    }
    throw new ConfigException("tls.key " + file + " is neither an EC nor an RSA PKCS#8 key");
  }

  private static boolean signedBy(X509Certificate cert, X509Certificate ca) {
    if (!cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      return false;
    }
    try {
      cert.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static List<X509Certificate> certificates(String setting, Path file) {
    readable(setting, file);
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> out = CertificateFactory.getInstance("X.509")
          .generateCertificates(in).stream().map(c -> (X509Certificate) c).toList();
      if (out.isEmpty()) {
        throw new ConfigException(setting + " " + file + " holds no PEM certificate");
      }
      return out;
    } catch (CertificateException e) {
      throw new ConfigException(setting + " " + file + " is not a PEM certificate: "
          + e.getMessage());
    } catch (IOException e) {
      throw new ConfigException("cannot read " + setting + " " + file + ": " + e.getMessage());
    }
  }

  private static void readable(String setting, Path file) {
    if (!Files.isReadable(file)) {
      throw new ConfigException(setting + " " + file
          + (Files.exists(file) ? " is not readable" : " does not exist"));
    }
  }
}
