package io.kvstore.bench;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The gRPC round-trip floor of this machine: a plain unary echo of a 100-byte payload between a
 * client and a server over a real localhost socket (same stack as kvstore: grpc-netty-shaded,
 * plaintext). Run it beside {@code kv bench} to see what part of a kvstore request is transport:
 *
 * <pre>
 *   java -cp bench/target/benchmarks.jar io.kvstore.bench.GrpcEchoFloor [seconds] [threads...]
 * </pre>
 *
 * Prints ops/s and p50/p99 latency (microseconds) for each concurrency level (default 1 and 8).
 */
public final class GrpcEchoFloor {
  private static final MethodDescriptor<byte[], byte[]> ECHO =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("bench.Echo/Echo")
          .setRequestMarshaller(new Bytes())
          .setResponseMarshaller(new Bytes())
          .build();

  private GrpcEchoFloor() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    List<Integer> levels = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      levels.add(Integer.parseInt(args[i]));
    }
    if (levels.isEmpty()) {
      levels = List.of(1, 8);
    }
    Server server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(ServerServiceDefinition.builder("bench.Echo")
            .addMethod(ECHO, ServerCalls.asyncUnaryCall((req, out) -> {
              out.onNext(req);
              out.onCompleted();
            }))
            .build())
        .build()
        .start();
    ManagedChannel ch = Grpc.newChannelBuilder("127.0.0.1:" + server.getPort(),
        InsecureChannelCredentials.create()).build();
    try {
      run(ch, 1, 3, false); // warm-up
      System.out.printf("%-8s %12s %10s %10s%n", "threads", "ops/s", "p50 us", "p99 us");
      for (int threads : levels) {
        run(ch, threads, seconds, true);
      }
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static void run(ManagedChannel ch, int threads, int seconds, boolean print)
      throws InterruptedException {
    Recorder recorder = new Recorder(3);
    AtomicBoolean stop = new AtomicBoolean();
    byte[] payload = new byte[100];
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th = new Thread(() -> {
        while (!stop.get()) {
          long start = System.nanoTime();
          ClientCalls.blockingUnaryCall(ch, ECHO,
              CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), payload);
          recorder.recordValue((System.nanoTime() - start) / 1000);
        }
      });
      ts.add(th);
      th.start();
    }
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    for (Thread th : ts) {
      th.join();
    }
    Histogram h = recorder.getIntervalHistogram();
    if (print) {
      System.out.printf("%-8d %12.0f %10d %10d%n", threads, h.getTotalCount() / (double) seconds,
          h.getValueAtPercentile(50), h.getValueAtPercentile(99));
    }
  }

  /** Passes byte arrays through unchanged. */
  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
