package io.novacron.workflows.cloudinit;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Loads YAML that came from a request. The document is untrusted, so the parser is bounded: only
 * plain maps, lists and scalars are built (no tags naming Java classes), an alias bomb is refused
 * after {@value #MAX_COLLECTION_ALIASES} aliases to collections instead of being expanded, a key may
 * not contain itself, nesting stops at {@value #MAX_NESTING_DEPTH} levels, and the reader stops at
 * a caller-given number of code points.
 */
public final class SafeYaml {
  /** Aliases to maps and lists one document may use: plenty for real configs, not for a bomb. */
  public static final int MAX_COLLECTION_ALIASES = 50;

  /** How deep maps and lists may nest; cloud-init's own configs stay under ten. */
  public static final int MAX_NESTING_DEPTH = 32;

  private SafeYaml() {}

  /**
   * Parses one YAML document into maps, lists, strings, numbers, booleans and nulls.
   *
   * @param maxCodePoints the most code points the reader accepts before giving up
   * @throws YAMLException on a syntax error, a limit, a duplicate key, or more than one document
   */
  public static Object load(String document, int maxCodePoints) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
    options.setAllowRecursiveKeys(false);
    options.setNestingDepthLimit(MAX_NESTING_DEPTH);
    options.setCodePointLimit(maxCodePoints);
    // A key given twice is a mistake whichever value cloud-init would keep: say so.
    options.setAllowDuplicateKeys(false);
    Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()),
        new DumperOptions(), options);
    return yaml.load(document);
  }

  /**
   * What went wrong, for a person: where (1-based line and column) and what, without echoing the
   * document back.
   */
  public static String describe(YAMLException e) {
    if (e instanceof MarkedYAMLException marked) {
      Mark mark = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
      String problem = marked.getProblem() != null ? marked.getProblem() : marked.getContext();
      String fix = problem != null && problem.contains("duplicate key")
          ? "keep one of them"
          : "fix the YAML there (indentation, quoting, a ':' inside a value)";
      if (mark != null) {
        return "is not valid YAML at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1)
            + ": " + problem + "; " + fix;
      }
      return "is not valid YAML: " + problem + "; " + fix;
    }
    String message = String.valueOf(e.getMessage());
    if (message.contains("aliases")) {
      return "uses more than " + MAX_COLLECTION_ALIASES + " aliases (*name) to maps or lists, which is"
          + " refused as a possible alias bomb: write the values out instead of reusing anchors";
    }
    if (message.contains("Nesting Depth")) {
      return "nests maps and lists deeper than " + MAX_NESTING_DEPTH + " levels: flatten it";
    }
    if (message.contains("exceeds the limit")) {
      return "is longer than the parser accepts: shorten it";
    }
    if (message.contains("Recursive key")) {
      return "has a key that contains itself through an alias: remove the recursive anchor";
    }
    return "is refused by the YAML parser: " + message + "; fix the YAML";
  }
}
