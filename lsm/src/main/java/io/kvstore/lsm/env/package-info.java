/** The file-system seam of the engine ({@link io.kvstore.lsm.env.Env}) and its real implementation. */
package io.kvstore.lsm.env;
