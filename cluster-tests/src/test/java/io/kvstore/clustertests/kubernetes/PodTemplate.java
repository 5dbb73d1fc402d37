package io.kvstore.clustertests.kubernetes;

import io.kvstore.clustertests.kubernetes.Pod.PodFile;
import io.kvstore.clustertests.kubernetes.Pod.Probe;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the StatefulSet's pod template into the {@link Pod} of one ordinal, as the StatefulSet
 * controller and the kubelet would: pod name {@code <set>-<i>}, env from values and the downward
 * API ({@code metadata.name}, {@code metadata.namespace}), {@code $(VAR)} expanded, ConfigMap
 * and Secret volumes turned into files (items, subPath, defaultMode, fsGroup), claim templates
 * into named volumes. A field it cannot emulate fails loudly rather than being skipped: the
 * test must run what the manifests say. Not thread safe; one per pod.
 */
final class PodTemplate {
  private final Manifests manifests;
  private final Map<String, Map<String, byte[]>> secrets;

  PodTemplate(Manifests manifests, Map<String, Map<String, byte[]>> secrets) {
    this.manifests = manifests;
    this.secrets = secrets;
  }

  Pod pod(int i) {
    Map<String, Object> set = manifests.only("StatefulSet");
    int replicas = Integer.parseInt(Yamls.str(set, "spec", "replicas"));
    if (i < 0 || i >= replicas) {
      throw new IllegalArgumentException("the StatefulSet has " + replicas + " replicas, not " + i);
    }
    String name = Yamls.str(set, "metadata", "name") + "-" + i;
    String fqdn = name + "." + Yamls.str(set, "spec", "serviceName") + "."
        + manifests.namespace() + ".svc.cluster.local";
    Map<String, Object> spec = Yamls.map(set, "spec", "template", "spec");
    unsupported(spec, "initContainers", "hostNetwork", "dnsConfig", "hostAliases");
    List<Object> containers = Yamls.list(spec, "containers");
    if (containers.size() != 1) {
      throw new IllegalStateException("expected one container, found " + containers.size());
    }
    Map<String, Object> c = Yamls.map(containers.getFirst());
    unsupported(c, "envFrom", "workingDir", "lifecycle");
    Map<String, String> env = env(c, name, manifests.namespace());
    int fsGroup = intOr(Yamls.at(spec, "securityContext", "fsGroup"), -1);
    Map<String, String> claims = new LinkedHashMap<>();
    List<PodFile> files = mounts(set, spec, c, fsGroup, claims);
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (Object p : Yamls.list(c, "ports")) {
      ports.put(Yamls.str(p, "name"), Integer.parseInt(Yamls.str(p, "containerPort")));
    }
    return new Pod(name, fqdn, expandAll(c.get("command"), env), expandAll(c.get("args"), env),
        env, files, claims, ports, probe(c, "startupProbe"), probe(c, "readinessProbe"),
        probe(c, "livenessProbe"), intOr(spec.get("terminationGracePeriodSeconds"), 30),
        Quantities.bytes(Yamls.str(c, "resources", "limits", "memory")),
        Quantities.nanoCpus(Yamls.str(c, "resources", "limits", "cpu")), user(spec, c), fsGroup);
  }

  private static Map<String, String> env(Map<String, Object> c, String podName, String ns) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Object e : Yamls.list(c, "env")) {
      String key = Yamls.str(e, "name");
      String field = Yamls.str(e, "valueFrom", "fieldRef", "fieldPath");
      if (field != null) {
        env.put(key, switch (field) {
          case "metadata.name" -> podName;
          case "metadata.namespace" -> ns;
          default -> throw new IllegalStateException("env " + key + ": fieldRef " + field
              + " is not emulated");
        });
      } else if (Yamls.at(e, "valueFrom") != null) {
        throw new IllegalStateException("env " + key + ": only fieldRef is emulated");
      } else {
        String value = Yamls.str(e, "value");
        env.put(key, KubeletExpansion.expand(value == null ? "" : value, env));
      }
    }
    return env;
  }

  private static List<String> expandAll(Object raw, Map<String, String> env) {
    if (raw == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Object o : Yamls.list(raw)) {
      out.add(KubeletExpansion.expand(String.valueOf(o), env));
    }
    return out;
  }

  private List<PodFile> mounts(Map<String, Object> set, Map<String, Object> spec,
      Map<String, Object> c, int fsGroup, Map<String, String> claims) {
    Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
    for (Object v : Yamls.list(spec, "volumes")) {
      volumes.put(Yamls.str(v, "name"), Yamls.map(v));
    }
    List<String> templates = Yamls.list(set, "spec", "volumeClaimTemplates").stream()
        .map(t -> Yamls.str(t, "metadata", "name")).toList();
    List<PodFile> files = new ArrayList<>();
    for (Object m : Yamls.list(c, "volumeMounts")) {
      String vol = Yamls.str(m, "name");
      String path = Yamls.str(m, "mountPath");
      String subPath = Yamls.str(m, "subPath");
      if (templates.contains(vol) && !volumes.containsKey(vol)) {
        if (subPath != null) {
          throw new IllegalStateException("mount " + vol + ": subPath of a claim is not emulated");
        }
        claims.put(vol, path);
        continue;
      }
      Map<String, Object> v = volumes.get(vol);
      if (v == null) {
        throw new IllegalStateException("mount " + vol + " names no volume or claim template");
      }
      Map<String, byte[]> keys = keys(v);
      Object source = v.containsKey("configMap") ? v.get("configMap") : v.get("secret");
      files.addAll(VolumeFiles.files(keys, source, path, subPath, fsGroup));
    }
    return files;
  }

  private Map<String, byte[]> keys(Map<String, Object> volume) {
    if (volume.containsKey("configMap")) {
      String cm = Yamls.str(volume, "configMap", "name");
      Map<String, byte[]> out = new LinkedHashMap<>();
      Yamls.map(manifests.named("ConfigMap", cm), "data").forEach((k, v) ->
          out.put(k, String.valueOf(v).getBytes(StandardCharsets.UTF_8)));
      return out;
    }
    if (volume.containsKey("secret")) {
      String name = Yamls.str(volume, "secret", "secretName");
      Map<String, byte[]> s = secrets.get(name);
      if (s == null) {
        throw new IllegalStateException("the test gives no Secret " + name);
      }
      return s;
    }
    throw new IllegalStateException("volume " + volume.get("name") + ": only configMap, secret"
        + " and claim templates are emulated");
  }

  private static Probe probe(Map<String, Object> c, String kind) {
    Object grpc = Yamls.at(c, kind, "grpc");
    if (Yamls.at(c, kind) == null) {
      return null;
    }
    if (grpc == null) {
      throw new IllegalStateException(kind + ": only grpc probes are emulated");
    }
    String service = Yamls.str(grpc, "service");
    return new Probe(Integer.parseInt(Yamls.str(grpc, "port")), service == null ? "" : service);
  }

  private static String user(Map<String, Object> spec, Map<String, Object> c) {
    Object uid = first(Yamls.at(c, "securityContext", "runAsUser"),
        Yamls.at(spec, "securityContext", "runAsUser"));
    Object gid = first(Yamls.at(c, "securityContext", "runAsGroup"),
        Yamls.at(spec, "securityContext", "runAsGroup"));
    if (uid == null) {
      return null;
    }
    return gid == null ? String.valueOf(uid) : uid + ":" + gid;
  }

  private static Object first(Object a, Object b) {
    return a != null ? a : b;
  }

  private static int intOr(Object raw, int dflt) {
    return raw == null ? dflt : Integer.parseInt(String.valueOf(raw));
  }

  private static void unsupported(Map<String, Object> node, String... fields) {
    for (String f : fields) {
      if (node.containsKey(f)) {
        throw new IllegalStateException(f + " is not emulated by the manifest test");
      }
    }
  }
}
