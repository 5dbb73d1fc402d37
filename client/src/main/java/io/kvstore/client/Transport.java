package io.kvstore.client;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
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
 */
final class Transport implements AutoCloseable {
  private final EventLoopGroup io;
  private final boolean epoll;
  private final ScheduledThreadPoolExecutor timer;

  Transport() {
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

  /** A plaintext channel to {@code host:port} on the client's I/O thread. */
  ManagedChannel channel(HostPort address) {
    return NettyChannelBuilder.forAddress(address.host(), address.port())
        .negotiationType(NegotiationType.PLAINTEXT)
        .eventLoopGroup(io)
        .channelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .userAgent("kvstore-client")
        // Callbacks run on the I/O thread: the client's only record the outcome and hand it over.
        .directExecutor()
        .build();
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
