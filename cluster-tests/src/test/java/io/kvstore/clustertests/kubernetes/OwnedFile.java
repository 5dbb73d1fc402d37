package io.kvstore.clustertests.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.testcontainers.images.builder.Transferable;

/**
 * A file copied into a container with an owner group and mode, as the kubelet leaves a volume's
 * files (owner root, group the pod's fsGroup): Testcontainers' own files are owned by root only.
 * Immutable.
 */
record OwnedFile(byte[] content, int mode, int gid) implements Transferable {
  @Override
  public long getSize() {
    return content.length;
  }

  @Override
  public int getFileMode() {
    return 0100000 | mode;
  }

  @Override
  public byte[] getBytes() {
    return content;
  }

  @Override
  public void transferTo(TarArchiveOutputStream tar, String destination) {
    TarArchiveEntry entry = new TarArchiveEntry(destination);
    entry.setSize(content.length);
    entry.setMode(getFileMode());
    entry.setIds(0, gid);
    try {
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
