package io.kvstore.client.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version for --version, from kv-version.properties (filtered by Maven). Stateless. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() throws IOException {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("kv-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    }
    return new String[] {"kv " + p.getProperty("version", "(unknown version)")};
  }
}
