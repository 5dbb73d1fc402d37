/**
 * Test support shared through the lsm test-jar: {@link io.kvstore.lsm.testing.FileCorruptor}
 * (bit flips, truncation, overwrites of real files) and {@link
 * io.kvstore.lsm.testing.SeededRandom} (a JUnit extension handing tests a seeded {@link
 * java.util.Random} and printing the seed when they fail). The fault-injecting file system is {@link io.kvstore.lsm.env.FaultInjectingEnv}.
 */
package io.kvstore.lsm.testing;
