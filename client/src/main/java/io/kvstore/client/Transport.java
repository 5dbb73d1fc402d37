package io.kvstore.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads of one {@link KvClient}: one network I/O thread (a Netty event loop, epoll where
 * available) that every channel of the client uses, and a timer for the deadlines of batched
 * requests. Batch messages are written on the I/O thread ({@link #sender()}): it wakes up to
 * write anyway, and everything the callers queue until it gets to it shares one message, while
 * answers it is reading wake the callers that queue the next requests. Thread safe; owned and
 * closed by the client.
 *
 * <p>Security ({@link KvClient.Builder#tls}, {@link KvClient.Builder#token}): with a CA
 * certificate every channel is TLS and verifies that the node's certificate chains to that CA and
 * names the address dialled (or the server name given instead); a token travels in each call's
 * {@code authorization: Bearer} header, only over TLS.
 */
final class Transport implements AutoCloseable {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final EventLoopGroup io;
  private final boolean epoll;
  private final ScheduledThreadPoolExecutor timer;
  private final SslContext tls; // null: plaintext
  private final String serverName; // null: the address's host
  private final String token; // null: none

  /**
   * @param tlsCa PEM file of the CA that signs the nodes' certificates; null for plaintext
   * @param serverName the name the nodes' certificates must carry instead of the host dialled
   * @param token bearer token sent with every call; needs {@code tlsCa}
   * @throws IllegalArgumentException if the CA file cannot be read or a token is given without TLS
   */
  Transport(Path tlsCa, String serverName, String token) {
    if (token != null && tlsCa == null) {
      throw new IllegalArgumentException("a token needs TLS (a CA certificate): a bearer token"
          + " must not travel in clear text");
    }
    this.tls = tlsCa == null ? null : sslContext(tlsCa);
    this.serverName = serverName;
    this.token = token;
    this.epoll = Epoll.isAvailable();
    this.io = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("kv-client-io", true),
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    this.timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "kv-client-timer");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true); // answered requests' deadlines leave the queue at once
  }

  private static SslContext sslContext(Path ca) {
    try {
      return GrpcSslContexts.forClient().trustManager(ca.toFile()).build();
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot use " + ca + " as the TLS CA certificate: "
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
    }
  }

  /** A channel to {@code host:port} on the client's I/O thread, TLS or plaintext. */
  ManagedChannel channel(HostPort address) {
    NettyChannelBuilder b = NettyChannelBuilder.forAddress(address.host(), address.port());
    if (tls == null) {
      b.negotiationType(NegotiationType.PLAINTEXT);
    } else {
      b.negotiationType(NegotiationType.TLS).sslContext(tls);
      if (serverName != null) {
        b.overrideAuthority(serverName);
      }
    }
    if (token != null) {
      b.intercept(bearer(token));
    }
    return b.eventLoopGroup(io)
        .channelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .userAgent("kvstore-client")
        // Callbacks run on the I/O thread: the client's only record the outcome and hand it over.
        .directExecutor()
        .build();
  }

  private static ClientInterceptor bearer(String token) {
    String value = "Bearer " + token;
    return new ClientInterceptor() {
      @Override
      public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method,
          CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<A> listener, Metadata headers) {
            headers.put(AUTHORIZATION, value);
            super.start(listener, headers);
          }
        };
      }
    };
  }

  boolean tls() {
    return tls != null;
  }

  /** Where batch messages are written under load: the I/O thread. */
  Executor sender() {
    return io.next();
  }

  ScheduledThreadPoolExecutor timer() {
    return timer;
  }

  /** Stops the threads; call after the channels are shut down. */
  @Override
  public void close() {
    timer.shutdownNow();
    io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
