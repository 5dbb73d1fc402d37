package io.kvstore.clustertests.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.node.config.ConfigLoader;
import io.kvstore.node.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes agrees with the node, checked without Docker: each pod's ConfigMap file and
 * args, loaded by the node's own ConfigLoader, name the pod as the node, listen on the container
 * port the Service and peers use, list every pod at its headless-Service name, serve health on
 * the probes' port, find their TLS and token files where the Secrets are mounted, and keep data
 * on the claim. KubernetesManifestTest runs the same pods for real.
 */
class ManifestConsistencyTest {
  private static final Path REPO =
      Path.of(System.getenv().getOrDefault("KV_REPO", "..")).toAbsolutePath();
  private final Manifests manifests = Manifests.load(REPO.resolve("deploy/kubernetes"));

  @TempDir
  Path tmp;

  @Test
  void eachPodsConfigurationNamesItAndEveryPeerAtTheirServiceAddresses() throws IOException {
    int replicas = Integer.parseInt(Yamls.str(manifests.only("StatefulSet"), "spec", "replicas"));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      Pod pod = manifests.pod(i, TestSecrets.placeholders());
      expected.add(pod.name() + "@" + pod.fqdn() + ":" + pod.ports().get("grpc"));
    }
    for (int i = 0; i < replicas; i++) {
      Pod pod = manifests.pod(i, TestSecrets.placeholders());
      NodeConfig cfg = load(pod);
      assertEquals(pod.name(), cfg.nodeId().id());
      assertEquals(pod.ports().get("grpc"), cfg.listen().port(), "listen port");
      assertEquals(pod.ports().get("metrics"), cfg.metricsPort(), "metrics port");
      assertEquals(expected, cfg.members().stream()
          .map(m -> m.id().id() + "@" + m.address()).toList(), "members");
      assertEquals(replicas, cfg.n(), "every pod holds a replica of every key");
      for (Pod.Probe probe : List.of(pod.startup(), pod.readiness(), pod.liveness())) {
        assertEquals(cfg.healthPort(), probe.port(), "probes go to health_port: " + probe);
      }
      assertTrue(cfg.security().tls(), "TLS on");
      List<String> mounted = pod.files().stream().map(Pod.PodFile::path).toList();
      for (Path f : List.of(cfg.security().cert(), cfg.security().key(), cfg.security().ca(),
          cfg.security().tokensFile())) {
        assertTrue(mounted.contains(f.toString()), f + " must be a mounted file: " + mounted);
      }
      String data = cfg.dataDir().toString();
      assertTrue(pod.claims().values().stream().anyMatch(data::startsWith),
          "data_dir " + data + " must be on a claim " + pod.claims());
    }
  }

  @Test
  void theHeadlessServiceSelectsThePodsAndPublishesThemBeforeReady() {
    Map<String, Object> set = manifests.only("StatefulSet");
    Map<String, Object> svc = manifests.named("Service", Yamls.str(set, "spec", "serviceName"));
    assertEquals("None", Yamls.str(svc, "spec", "clusterIP"));
    assertEquals("true", Yamls.str(svc, "spec", "publishNotReadyAddresses"));
    Map<String, Object> labels = Yamls.map(set, "spec", "template", "metadata", "labels");
    assertTrue(labels.entrySet().containsAll(Yamls.map(svc, "spec", "selector").entrySet()));
    Map<String, Object> pdb = manifests.only("PodDisruptionBudget");
    assertTrue(labels.entrySet().containsAll(
        Yamls.map(pdb, "spec", "selector", "matchLabels").entrySet()));
    assertEquals("Parallel", Yamls.str(set, "spec", "podManagementPolicy"));
  }

  private NodeConfig load(Pod pod) throws IOException {
    NodeArgs args = NodeArgs.parse(pod.args());
    Pod.PodFile yaml = pod.files().stream().filter(f -> f.path().equals(args.config()))
        .findFirst().orElseThrow(() -> new AssertionError("--config " + args.config()
            + " is not a mounted file: " + pod.files().stream().map(Pod.PodFile::path).toList()));
    Path file = tmp.resolve(pod.name() + ".yaml");
    Files.write(file, yaml.content());
    return ConfigLoader.load(file, args.overrides());
  }
}
