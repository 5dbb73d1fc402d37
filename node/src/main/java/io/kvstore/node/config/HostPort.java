package io.kvstore.node.config;

/** A host and port, parsed from {@code host:port}. Immutable. */
public record HostPort(String host, int port) {
  public static HostPort parse(String setting, String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new ConfigException(setting + " must be host:port, got '" + text + "'");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new ConfigException(setting + " has a bad port in '" + text + "'");
    }
    if (port < 0 || port > 65535) {
      throw new ConfigException(setting + " port must be 0..65535, got " + port);
    }
    return new HostPort(text.substring(0, colon), port);
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
