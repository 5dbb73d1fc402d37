package io.kvstore.client;

/**
 * A node address "host:port" (IPv6 hosts in brackets, "[::1]:7001"), validated. Immutable.
 */
record HostPort(String host, int port) {

  /**
   * @throws IllegalArgumentException naming the address if it is not host:port with a port in
   *     1..65535
   */
  static HostPort parse(String address) {
    String a = address.strip();
    int colon = a.lastIndexOf(':');
    if (colon <= 0 || colon == a.length() - 1) {
      throw bad(address);
    }
    String host = a.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw bad(address);
    }
    int port;
    try {
      port = Integer.parseInt(a.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw bad(address);
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw bad(address);
    }
    return new HostPort(host, port);
  }

  private static IllegalArgumentException bad(String address) {
    return new IllegalArgumentException(
        "'" + address + "' is not host:port (e.g. 127.0.0.1:7001, port 1..65535)");
  }
}
