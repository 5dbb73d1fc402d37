package io.kvstore.node.rpc;

import io.grpc.ChannelCredentials;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.kvstore.node.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per peer address, shared by replica calls and gossip, so a heartbeat travels
 * the same connection as the data it vouches for. Thread safe.
 *
 * <p>Keepalive pings on peer connections (gRPC's minimum interval): with epoll, gRPC also sets
 * TCP_USER_TIMEOUT to the ping timeout, so a connection whose packets are dropped (a partition)
 * is closed within seconds instead of lingering in TCP's retransmission back-off, which after a
 * heal kept a peer unreachable for about as long again as the partition had lasted; a fresh
 * connection is made once the network is back. Servers permit pings this often.
 */
public final class PeerChannels implements AutoCloseable {
  public static final long KEEPALIVE_SECONDS = 10;
  static final long KEEPALIVE_TIMEOUT_SECONDS = 2;
  private static final long RESET_INTERVAL_NANOS = 200_000_000L;

  private final Clock clock;
  private final ChannelCredentials credentials;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final Map<String, Long> lastReset = new ConcurrentHashMap<>();

  /** {@code credentials}: plaintext, or TLS with this node's certificate (Tls#peer). */
  public PeerChannels(Clock clock, ChannelCredentials credentials) {
    this.clock = clock;
    this.credentials = credentials;
  }

  /**
   * The channel to {@code address}. gRPC backs off reconnecting for up to two minutes; a
   * restarted peer must be used again at once, so a channel in TRANSIENT_FAILURE is told to
   * reconnect now (at most every 200 ms per peer).
   */
  public ManagedChannel channel(String address) {
    ManagedChannel ch = channels.computeIfAbsent(address, a ->
        Grpc.newChannelBuilder(a, credentials)
            .maxInboundMessageSize(64 << 20)
            .keepAliveTime(KEEPALIVE_SECONDS, TimeUnit.SECONDS)
            .keepAliveTimeout(KEEPALIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .keepAliveWithoutCalls(true)
            .build());
    if (ch.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      long now = clock.nanoTime();
      Long last = lastReset.get(address);
      if (last == null || now - last > RESET_INTERVAL_NANOS) {
        lastReset.put(address, now);
        ch.resetConnectBackoff();
      }
    }
    return ch;
  }

  Clock clock() {
    return clock;
  }

  @Override
  public void close() {
    for (ManagedChannel ch : channels.values()) {
      ch.shutdownNow();
    }
    for (ManagedChannel ch : channels.values()) {
      try {
        ch.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
