package io.kvstore.bench.ycsb;

/**
 * A stored value that is not a record of {@link FieldCodec}'s format (another writer's value, or
 * a bug): the message names the offset and what was expected there. Unchecked.
 */
public final class MalformedRecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedRecordException(String message) {
    super(message);
  }
}
