package io.novacron.workflows.labels;

import io.novacron.workflows.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a VM's labels may be, Kubernetes-like: free key/value metadata that never renames the VM.
 * Pure, shared by the REST API, the provisioning request, the dashboard and the CLI's selector.
 *
 * <p>A key is 1-63 of {@code a-z 0-9 - _ . /}, starting and ending with a letter or digit; a value
 * is at most 63 of {@code A-Z a-z 0-9 - _ .}, starting and ending with a letter or digit, or empty.
 * The value's narrow alphabet keeps {@code k=v} unambiguous on a command line and in
 * {@code ?label=k=v}. At most {@value #MAX_LABELS} labels per VM.
 */
public final class LabelRules {
  public static final Pattern KEY = Pattern.compile("[a-z0-9]([-a-z0-9_./]{0,61}[a-z0-9])?");
  public static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
  public static final int MAX_LABELS = 32;

  static final String KEY_RULE = "a key is 1-63 of a-z 0-9 - _ . /, starting and ending with a letter or digit";
  static final String VALUE_RULE = "a value is at most 63 of A-Z a-z 0-9 - _ ., starting and ending with a letter"
      + " or digit (or empty)";

  private LabelRules() {}

  /** Every bad label of a full set (no null values), each named {@code <field>.<key>}, and the count. */
  public static List<FieldError> validate(Map<String, String> labels, String field) {
    List<FieldError> errors = new ArrayList<>();
    if (labels == null) {
      return errors;
    }
    labels.forEach((key, value) -> {
      if (value == null) {
        errors.add(new FieldError(field + "." + shown(key), "has no value; give one (\"\" for none)"));
      } else {
        check(key, value, field).ifPresent(errors::add);
      }
    });
    count(labels.size(), field).ifPresent(errors::add);
    return errors;
  }

  /** Every bad entry of a merge patch: a null value removes its key, any other must be valid. */
  public static List<FieldError> validatePatch(Map<String, String> patch, String field) {
    List<FieldError> errors = new ArrayList<>();
    if (patch == null) {
      errors.add(new FieldError(field, "send a JSON object of labels, e.g. {\"team\":\"web\",\"old\":null}"));
      return errors;
    }
    patch.forEach((key, value) -> {
      if (value == null) {
        if (!KEY.matcher(key).matches()) {
          errors.add(new FieldError(field + "." + shown(key), KEY_RULE));
        }
      } else {
        check(key, value, field).ifPresent(errors::add);
      }
    });
    return errors;
  }

  /** The labels after a merge patch (a null value removes the key), sorted by key. */
  public static Map<String, String> merge(Map<String, String> current, Map<String, String> patch) {
    Map<String, String> merged = new TreeMap<>(current == null ? Map.of() : current);
    patch.forEach((key, value) -> {
      if (value == null) {
        merged.remove(key);
      } else {
        merged.put(key, value);
      }
    });
    return merged;
  }

  /** The error for more than {@value #MAX_LABELS} labels, if there are. */
  public static java.util.Optional<FieldError> count(int labels, String field) {
    return labels > MAX_LABELS
        ? java.util.Optional.of(new FieldError(field, "at most " + MAX_LABELS + " labels per VM, would be " + labels
            + "; remove some (a null value in a PATCH removes a label)"))
        : java.util.Optional.empty();
  }

  /**
   * A selector of {@code k=v} terms (all must match), as the list filter takes it.
   *
   * @throws IllegalArgumentException naming the bad term and the rule
   */
  public static Map<String, String> selector(List<String> terms) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (String term : terms) {
      int eq = term.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("'" + shown(term) + "' is not k=v (e.g. label=team=web)");
      }
      String key = term.substring(0, eq);
      String value = term.substring(eq + 1);
      check(key, value, "label").ifPresent(error -> {
        throw new IllegalArgumentException("'" + shown(term) + "': " + error.message());
      });
      wanted.put(key, value);
    }
    return wanted;
  }

  private static java.util.Optional<FieldError> check(String key, String value, String field) {
    if (key == null || !KEY.matcher(key).matches()) {
      return java.util.Optional.of(new FieldError(field + "." + shown(key), KEY_RULE));
    }
    if (!VALUE.matcher(value).matches()) {
      return java.util.Optional.of(new FieldError(field + "." + key, VALUE_RULE + "; was '" + shown(value) + "'"));
    }
    return java.util.Optional.empty();
  }

  private static String shown(String text) {
    if (text == null) {
      return "null";
    }
    return text.length() <= 70 ? text : text.substring(0, 70) + "...";
  }
}
