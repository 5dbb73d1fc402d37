package io.kvstore.clustertests.kubernetes;

import io.kvstore.clustertests.kubernetes.Pod.PodFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a ConfigMap or Secret volume shows in a container: each key (or each of
 * {@code items}, at its {@code path}) under the mount path, or with {@code subPath} the one file
 * at the mount path itself; mode {@code defaultMode} (or the item's), 0644 when unset; with an
 * fsGroup, group-owned by it and readable by owner and group, as the kubelet sets them.
 * Stateless.
 */
final class VolumeFiles {
  private static final int DEFAULT_MODE = 0644;

  private VolumeFiles() {}

  static List<PodFile> files(Map<String, byte[]> keys, Object source, String mountPath,
      String subPath, int fsGroup) {
    int defaultMode = mode(Yamls.at(source, "defaultMode"), DEFAULT_MODE);
    Map<String, byte[]> byPath = new LinkedHashMap<>();
    Map<String, Integer> modes = new LinkedHashMap<>();
    List<Object> items = Yamls.list(source, "items");
    if (items.isEmpty()) {
      keys.forEach((k, v) -> {
        byPath.put(k, v);
        modes.put(k, defaultMode);
      });
    } else {
      for (Object item : items) {
        String key = Yamls.str(item, "key");
        if (!keys.containsKey(key)) {
          throw new IllegalStateException("volume item " + key + " is not a key of its source");
        }
        byPath.put(Yamls.str(item, "path"), keys.get(key));
        modes.put(Yamls.str(item, "path"), mode(Yamls.at(item, "mode"), defaultMode));
      }
    }
    List<PodFile> out = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : byPath.entrySet()) {
      if (subPath != null && !subPath.equals(e.getKey())) {
        continue;
      }
      String path = subPath != null ? mountPath : mountPath + "/" + e.getKey();
      int mode = modes.get(e.getKey());
      out.add(fsGroup < 0 ? new PodFile(path, e.getValue(), mode, 0)
          : new PodFile(path, e.getValue(), mode | 0440, fsGroup));
    }
    if (subPath != null && out.isEmpty()) {
      throw new IllegalStateException("subPath " + subPath + " is not a key of its source");
    }
    return out;
  }

  private static int mode(Object raw, int dflt) {
    return raw == null ? dflt : Integer.parseInt(String.valueOf(raw));
  }
}
