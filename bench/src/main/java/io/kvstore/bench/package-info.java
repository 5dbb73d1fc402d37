/** JMH benchmarks of kvstore's parts, each measured against a peer in the same run. */
package io.kvstore.bench;
