package io.kvstore.node.hints;

import io.kvstore.ring.NodeId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * File names of the hint directory (FORMAT.md, "Files"). A target's id becomes a file-name stem:
 * ASCII letters, digits, '_' and '.' stay, every other UTF-8 byte becomes {@code %XX}; so a stem
 * never contains '-' and names parse back unambiguously. Stateless and thread safe.
 */
final class HintFiles {
  static final String SEGMENT_SUFFIX = ".hint";
  static final String CHECKPOINT_SUFFIX = ".ckpt";
  static final String TEMP_SUFFIX = ".tmp";
  /** Longest stem accepted, so names stay well under the usual 255-byte limit. */
  static final int MAX_STEM = 200;

  private HintFiles() {}

  static String stem(NodeId target) {
    StringBuilder s = new StringBuilder();
    for (byte b : HintFormat.utf8(target)) {
      char c = (char) (b & 0xff);
      boolean plain =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
              || c == '.';
      s.append(plain ? String.valueOf(c) : String.format("%%%02X", b & 0xff));
    }
    if (s.length() > MAX_STEM) {
      throw new IllegalArgumentException("node id too long for a hint file name: " + target.id());
    }
    return s.toString();
  }

  /** The target a stem names, or null if it is not a stem this class writes. */
  static NodeId target(String stem) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < stem.length(); i++) {
      char c = stem.charAt(i);
      if (c == '%' && i + 2 < stem.length()) {
        try {
          out.write(Integer.parseInt(stem.substring(i + 1, i + 3), 16));
        } catch (NumberFormatException e) {
          return null;
        }
        i += 2;
      } else if (c == '-' || c == '%' || c > 127) {
        return null;
      } else {
        out.write(c);
      }
    }
    try {
      NodeId id = NodeId.of(out.toString(StandardCharsets.UTF_8));
      return stem(id).equals(stem) ? id : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static String segmentName(NodeId target, long segment) {
    return stem(target) + "-" + String.format("%020d", segment) + SEGMENT_SUFFIX;
  }

  static String checkpointName(NodeId target) {
    return stem(target) + CHECKPOINT_SUFFIX;
  }

  /** The segment number in a segment file name, or -1 if the name is not one. */
  static long segmentNumber(String name) {
    int dash = name.lastIndexOf('-');
    if (!name.endsWith(SEGMENT_SUFFIX) || dash < 1) {
      return -1;
    }
    String digits = name.substring(dash + 1, name.length() - SEGMENT_SUFFIX.length());
    if (digits.length() != 20 || !digits.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The target of a segment file name, or null. */
  static NodeId segmentTarget(String name) {
    return segmentNumber(name) < 0 ? null : target(name.substring(0, name.lastIndexOf('-')));
  }
}
