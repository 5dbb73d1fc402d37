/**
 * Sorted string tables: immutable files of internal entries, the on-disk levels of the LSM tree.
 * Byte layout in {@code FORMAT.md} beside these sources.
 *
 * <ul>
 *   <li>{@link io.kvstore.lsm.sstable.TableBuilder} writes a table from sorted entries; {@link
 *       io.kvstore.lsm.sstable.TableOptions} sets block size, bloom bits and restart interval;
 *       {@link io.kvstore.lsm.sstable.TableMeta} describes the result.
 *   <li>{@link io.kvstore.lsm.sstable.TableReader} opens and verifies a table and serves point
 *       lookups ({@link io.kvstore.lsm.sstable.LookupResult}) and iterators.
 *   <li>{@link io.kvstore.lsm.sstable.BlockCache} shares parsed data blocks across readers;
 *       {@link io.kvstore.lsm.sstable.ReadStats} counts filter checks and block reads.
 *   <li>{@link io.kvstore.lsm.sstable.BloomFilter}: the per-table filter over user keys.
 *   <li>Internals: {@code BlockBuilder}/{@code Block}/{@code BlockCursor} (prefix-compressed
 *       blocks with restart points), {@code BlockIndex} (the in-memory index as flat arrays),
 *       {@code TableIterator}, {@code Footer}, {@code TableFormat}, {@code Varint}, {@code
 *       KeyCompare}.
 * </ul>
 *
 * <p>Every structure read from disk is checked (magic, version, CRC32C, layout) and failures are
 * reported as {@link io.kvstore.lsm.CorruptionException} naming the file and the offset of the
 * damaged structure; I/O failures as {@link io.kvstore.lsm.StorageIOException}.
 */
package io.kvstore.lsm.sstable;
