package io.kvstore.node.rpc;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import java.util.concurrent.CompletableFuture;

/** Bridges gRPC's future stubs (Guava futures) to CompletableFuture. Stateless. */
public final class ListenableFutures {
  private ListenableFutures() {}

  /** A CompletableFuture completed, on the completing thread, as {@code f} is. */
  public static <T> CompletableFuture<T> toCompletable(ListenableFuture<T> f) {
    CompletableFuture<T> out = new CompletableFuture<>();
    Futures.addCallback(f, new FutureCallback<T>() {
      @Override
      public void onSuccess(T result) {
        out.complete(result);
      }

      @Override
      public void onFailure(Throwable t) {
        out.completeExceptionally(t);
      }
    }, MoreExecutors.directExecutor());
    return out;
  }
}
