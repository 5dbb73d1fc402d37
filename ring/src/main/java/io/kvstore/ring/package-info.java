/** Consistent-hash ring: partitions, virtual nodes, preference lists. */
package io.kvstore.ring;
