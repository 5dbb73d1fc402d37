package io.kvstore.client.cli;

import io.kvstore.client.Context;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses a --context argument (the base64 form printed by get and put). Stateless. */
final class ContextConverter implements ITypeConverter<Context> {
  @Override
  public Context convert(String text) {
    try {
      return Context.fromBase64(text.strip());
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
