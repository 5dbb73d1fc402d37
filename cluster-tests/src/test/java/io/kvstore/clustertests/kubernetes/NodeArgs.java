package io.kvstore.clustertests.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A container's args read the way NodeMain reads them: {@code --config FILE} and the settings
 * its options override ({@code --node-id} is node_id, {@code --set k=v} is k, ...), in the form
 * ConfigLoader takes. For checking the manifests against the node's own configuration loader
 * without starting it. Immutable.
 *
 * @param config the --config path, or null
 * @param overrides key=value settings, in order
 */
record NodeArgs(String config, List<String> overrides) {
  private static final Map<String, String> SETTING = Map.of(
      "--node-id", "node_id", "--listen", "listen", "--data-dir", "data_dir",
      "--metrics-port", "metrics_port", "--members", "cluster.members");

  static NodeArgs parse(List<String> args) {
    String config = null;
    List<String> overrides = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String opt = args.get(i);
      String value;
      int eq = opt.indexOf('=');
      if (opt.startsWith("--") && eq > 0) {
        value = opt.substring(eq + 1);
        opt = opt.substring(0, eq);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new IllegalArgumentException("option " + opt + " has no value");
      }
      switch (opt) {
        case "--config" -> config = value;
        case "-s", "--set" -> overrides.add(value);
        default -> {
          String setting = SETTING.get(opt);
          if (setting == null) {
            throw new IllegalArgumentException("NodeMain has no option " + opt);
          }
          overrides.add(setting + "=" + value);
        }
      }
    }
    return new NodeArgs(config, List.copyOf(overrides));
  }
}
