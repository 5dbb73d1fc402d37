package io.kvstore.client;

import java.util.List;

/**
 * Application-specific merge of concurrent siblings into one value (Dynamo 4.4: reconciliation
 * is the application's, since only it knows what the values mean). Used by
 * {@link KvClient#update}. Called only with two or more siblings. Must not modify its argument.
 */
@FunctionalInterface
public interface Resolver {
  byte[] resolve(List<byte[]> siblings);
}
