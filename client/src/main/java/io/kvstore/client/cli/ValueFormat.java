package io.kvstore.client.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/**
 * How {@code kv get} shows a value on one line. AUTO shows text when the bytes are valid UTF-8
 * without control characters (tab allowed), else "hex:" and the hex digits. Stateless.
 */
enum ValueFormat {
  AUTO,
  TEXT,
  HEX,
  BASE64;

  String format(byte[] value) {
    return switch (this) {
      case AUTO -> {
        String text = printableText(value);
        yield text != null ? text : "hex:" + HexFormat.of().formatHex(value);
      }
      case TEXT -> new String(value, StandardCharsets.UTF_8);
      case HEX -> HexFormat.of().formatHex(value);
      case BASE64 -> Base64.getEncoder().encodeToString(value);
    };
  }

  /** The text if {@code value} is valid UTF-8 and printable on one line, else null. */
  static String printableText(byte[] value) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    boolean printable = text.codePoints().allMatch(
        c -> c == '\t' || !(Character.isISOControl(c) || Character.getType(c) == Character.UNASSIGNED));
    return printable ? text : null;
  }
}
