package io.kvstore.clustertests.kubernetes;

import java.util.List;
import java.util.Map;

/**
 * One pod of the StatefulSet as the kubelet would run its (single) container: references
 * expanded, volumes resolved into files and claims. An immutable value.
 *
 * @param name the pod's name, kv-N (also its hostname)
 * @param fqdn its name in the headless Service's DNS zone: name.service.namespace.svc.cluster.local
 * @param command the container's command (replaces the image's ENTRYPOINT), or null
 * @param args the container's args (replace the image's CMD), or null
 * @param env the container's environment, in the manifest's order, expanded
 * @param files the files the ConfigMap and Secret volumes put in the container
 * @param claims the PersistentVolumeClaims mounted, by claim template name
 * @param ports the container ports by name
 * @param graceSeconds terminationGracePeriodSeconds (Kubernetes' default 30 when absent)
 * @param memoryLimit limits.memory in bytes, or 0
 * @param nanoCpus limits.cpu in billionths of a CPU, or 0
 * @param user runAsUser:runAsGroup, or null
 * @param fsGroup the pod's fsGroup (owner group of volume files), or -1
 */
public record Pod(
    String name,
    String fqdn,
    List<String> command,
    List<String> args,
    Map<String, String> env,
    List<PodFile> files,
    Map<String, String> claims,
    Map<String, Integer> ports,
    Probe startup,
    Probe readiness,
    Probe liveness,
    int graceSeconds,
    long memoryLimit,
    long nanoCpus,
    String user,
    int fsGroup) {

  /** A file a volume puts at {@code path}, owned by root and group {@code gid}. */
  public record PodFile(String path, byte[] content, int mode, int gid) {}

  /** A gRPC probe: grpc.health.v1.Health/Check of {@code service} ("" = the server) on a port. */
  public record Probe(int port, String service) {}
}
