package io.kvstore.clustertests.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The objects {@code kubectl apply -k DIR} would create: every document of every file listed
 * under {@code resources} in DIR/kustomization.yaml, parsed with SnakeYAML (YAML 1.1, as
 * kubectl reads them: {@code 0440} is octal). No other kustomize feature is read; the namespace
 * is the kustomization's, else "default". Immutable after loading.
 */
public final class Manifests {
  private final List<Map<String, Object>> objects;
  private final String namespace;

  private Manifests(List<Map<String, Object>> objects, String namespace) {
    this.objects = List.copyOf(objects);
    this.namespace = namespace;
  }

  public static Manifests load(Path dir) {
    Map<String, Object> kustomization =
        Yamls.map(parse(dir.resolve("kustomization.yaml")).getFirst());
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object resource : Yamls.list(kustomization, "resources")) {
      for (Object doc : parse(dir.resolve(String.valueOf(resource)))) {
        if (doc != null) {
          objects.add(Yamls.map(doc));
        }
      }
    }
    String ns = Yamls.str(kustomization, "namespace");
    return new Manifests(objects, ns == null ? "default" : ns);
  }

  private static List<Object> parse(Path file) {
    try {
      String text = Files.readString(file);
      List<Object> docs = new ArrayList<>();
      new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text).forEach(docs::add);
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public String namespace() {
    return namespace;
  }

  /** The only object of {@code kind}; fails if there is none or more than one. */
  public Map<String, Object> only(String kind) {
    List<Map<String, Object>> found = objects.stream()
        .filter(o -> kind.equals(o.get("kind"))).toList();
    if (found.size() != 1) {
      throw new IllegalStateException("expected one " + kind + ", found " + found.size());
    }
    return found.getFirst();
  }

  /** The object of {@code kind} named {@code name}; fails if absent. */
  public Map<String, Object> named(String kind, String name) {
    return objects.stream()
        .filter(o -> kind.equals(o.get("kind")) && name.equals(Yamls.str(o, "metadata", "name")))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + kind + " named " + name));
  }

  /** The StatefulSet's pod of ordinal {@code i}, with the Secrets' contents given by the test. */
  public Pod pod(int i, Map<String, Map<String, byte[]>> secrets) {
    return new PodTemplate(this, secrets).pod(i);
  }
}
