package io.novacron.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --page} and {@code --size} of a list command, checked as the API checks them. */
final class Paging {
  static final int MAX_SIZE = 200;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--page", paramLabel = "N", description = "which page, from 0 (default 0)")
  Integer page;

  @Option(names = "--size", paramLabel = "N", description = "items per page, 1 to " + MAX_SIZE + " (default 50)")
  Integer size;

  /** The query parameters, in order, with the given filters first; unset ones are left out. */
  Map<String, Object> query(Map<String, Object> filters) {
    if (page != null && page < 0) {
      throw new ParameterException(spec.commandLine(), "--page must be 0 or more, was " + page);
    }
    if (size != null && (size < 1 || size > MAX_SIZE)) {
      throw new ParameterException(spec.commandLine(), "--size must be between 1 and " + MAX_SIZE + ", was " + size);
    }
    Map<String, Object> query = new LinkedHashMap<>(filters);
    query.put("page", page);
    query.put("size", size);
    return query;
  }

  Map<String, Object> query() {
    return query(Map.of());
  }
}
