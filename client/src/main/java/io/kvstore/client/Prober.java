package io.kvstore.client;

import com.google.protobuf.Empty;
import com.google.protobuf.Int32Value;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;

/**
 * Probes suspect nodes with the standard gRPC health check ({@code grpc.health.v1.Health/Check},
 * served by every node) on a short deadline; a node that answers SERVING (or answers at all
 * without a health service, e.g. UNIMPLEMENTED) is no longer suspect. Probes are sent when a call
 * starts and a suspect's probe is due: no thread of its own, and no probing of an idle client.
 *
 * <p>The health messages are spelled with protobuf's well-known types, to which they are
 * identical on the wire: a HealthCheckRequest with the empty service name encodes as {@link
 * Empty}, and HealthCheckResponse's one field (enum status = 1) reads as {@link Int32Value}. This
 * saves the client a dependency on grpc-services for one call.
 *
 * <p>Thread safe: the probe outcome is recorded in the (synchronized) {@link NodeSelector}.
 */
final class Prober {
  /** HealthCheckResponse.ServingStatus values that fail a probe. */
  private static final int NOT_SERVING = 2;
  private static final int SERVICE_UNKNOWN = 3;

  static final MethodDescriptor<Empty, Int32Value> CHECK =
      MethodDescriptor.<Empty, Int32Value>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("grpc.health.v1.Health/Check")
          .setRequestMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(Int32Value.getDefaultInstance()))
          .build();

  private final Routing routing;

  Prober(Routing routing) {
    this.routing = routing;
  }

  /** Sends a probe to each suspect whose probe is due. */
  void probeDue() {
    for (int node : routing.selector().probesDue()) {
      probe(node);
    }
  }

  private void probe(int node) {
    Endpoint e = routing.endpoints().get(node);
    e.channel().resetConnectBackoff(); // a node back up must not wait out a reconnect backoff
    ClientCall<Empty, Int32Value> call = e.channel().newCall(CHECK, CallOptions.DEFAULT
        .withDeadlineAfter(routing.policy().probeTimeoutNanos(), TimeUnit.NANOSECONDS));
    ClientCalls.asyncUnaryCall(call, Empty.getDefaultInstance(), new StreamObserver<>() {
      private boolean serving;

      @Override
      public void onNext(Int32Value v) {
        serving = v.getValue() != NOT_SERVING && v.getValue() != SERVICE_UNKNOWN;
      }

      @Override
      public void onError(Throwable t) {
        boolean answered = Outcome.of(Status.fromThrowable(t)) == Outcome.OTHER_ANSWER;
        routing.selector().probeDone(node, answered);
      }

      @Override
      public void onCompleted() {
        routing.selector().probeDone(node, serving);
      }
    });
  }
}
