/**
 * Engine internals: internal keys, memtable, versions and SuperVersions (what reads pin), the
 * manifest, recovery, iterators, and the compaction policy and merge.
 */
package io.kvstore.lsm.internal;
