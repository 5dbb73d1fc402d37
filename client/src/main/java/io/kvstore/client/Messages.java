package io.kvstore.client;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.kvstore.proto.GetRequest;
import io.kvstore.proto.GetResponse;
import io.kvstore.proto.PutRequest;
import io.kvstore.proto.PutResponse;
import io.kvstore.proto.RequestError;
import io.kvstore.proto.Sibling;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@link KvClient}'s conversions between its records and kvstore.proto's messages, and the
 * slicing of multi-key calls. Stateless.
 */
final class Messages {
  /** The most keys of one MultiGet or MultiPut call (kvstore.proto). */
  static final int MAX_PER_CALL = 1000;

  private Messages() {}

  /**
   * Runs {@code call} on {@code items} in slices of at most {@link #MAX_PER_CALL}, one after the
   * other, and returns their results in order. Checks every item first: nothing is sent for a list
   * that holds a null.
   *
   * @param what the name of the list in exception messages
   */
  static <I, R> List<KeyResult<R>> inCalls(String what, List<I> items,
      Function<List<I>, List<KeyResult<R>>> call) {
    Objects.requireNonNull(items, what);
    int index = 0;
    for (I item : items) {
      if (item == null) {
        throw new NullPointerException(what + "[" + index + "] is null");
      }
      index++;
    }
    List<KeyResult<R>> results = new ArrayList<>(items.size());
    for (int from = 0; from < items.size(); from += MAX_PER_CALL) {
      int to = Math.min(items.size(), from + MAX_PER_CALL);
      results.addAll(call.apply(items.subList(from, to)));
    }
    return Collections.unmodifiableList(results);
  }

  /** A key's error in a multi-key answer, as the call of that key alone would have thrown it. */
  static <R> KeyResult<R> failed(RequestError error, String address) {
    RequestError e = error.getCode() != Status.Code.OK.value() ? error : RequestError.newBuilder()
        .setCode(Status.Code.INTERNAL.value())
        .setMessage("bad answer from the node: a result with neither a response nor an error")
        .build();
    return KeyResult.failed(KvException.answered(BatchChannel.toStatus(e), address));
  }

  static GetRequest getRequest(byte[] key, io.kvstore.proto.ReadOptions options) {
    return GetRequest.newBuilder().setKey(ByteString.copyFrom(key)).setOptions(options).build();
  }

  static PutRequest putRequest(byte[] key, byte[] value, Context context,
      io.kvstore.proto.WriteOptions options) {
    return PutRequest.newBuilder().setKey(ByteString.copyFrom(key))
        .setValue(ByteString.copyFrom(value)).setContext(ByteString.copyFrom(context.toBytes()))
        .setOptions(options).build();
  }

  static GetResult getResult(GetResponse r) {
    List<byte[]> siblings = r.getSiblingsList().stream().map(Sibling::getValue)
        .map(ByteString::toByteArray).toList();
    return new GetResult(r.getFound(), siblings, r.getDeleted(),
        Context.of(r.getContext().toByteArray()), r.getReplies(), r.getSloppyReplies());
  }

  static PutResult putResult(PutResponse r) {
    return new PutResult(Context.of(r.getContext().toByteArray()), r.getAcks(),
        r.getSloppyAcks());
  }
}
