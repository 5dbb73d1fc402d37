/** The kvstore server. */
package io.kvstore.node;
