package io.kvstore.lsm.sstable;

/**
 * What {@link TableBuilder#finish()} reports about the table it wrote. Immutable by convention:
 * the key arrays are fresh copies owned by the receiver; do not modify them. Being a record over
 * arrays, {@code equals} compares the arrays by identity.
 *
 * @param fileSize bytes in the file
 * @param entryCount internal entries (puts and tombstones)
 * @param smallestKey smallest internal key, or null if the table is empty
 * @param largestKey largest internal key, or null if the table is empty
 */
public record TableMeta(long fileSize, long entryCount, byte[] smallestKey, byte[] largestKey) {}
