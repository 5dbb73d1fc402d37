package io.kvstore.clustertests.kubernetes;

import java.util.Map;

/**
 * Expands {@code $(VAR)} references in a container's command, args and env values the way the
 * kubelet does (Kubernetes' {@code third_party/forked/golang/expansion}): a defined variable is
 * replaced by its value, an undefined one is left as written, {@code $$} is one literal
 * {@code $} (so {@code $$(VAR)} stays {@code $(VAR)}), and any other {@code $} is kept. Stateless.
 */
public final class KubeletExpansion {
  private KubeletExpansion() {}

  public static String expand(String input, Map<String, String> vars) {
    StringBuilder out = new StringBuilder(input.length());
    int i = 0;
    while (i < input.length()) {
      char c = input.charAt(i);
      if (c != '$' || i + 1 == input.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = input.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (next == '(') {
        int close = input.indexOf(')', i + 2);
        if (close < 0) { // an incomplete reference: kept, and the rest read on as text
          out.append("$(");
          i += 2;
          continue;
        }
        String name = input.substring(i + 2, close);
        String value = vars.get(name);
        out.append(value != null ? value : "$(" + name + ")");
        i = close + 1;
      } else {
        out.append('$').append(next);
        i += 2;
      }
    }
    return out.toString();
  }
}
