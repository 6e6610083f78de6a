package io.novacron.cli;

/** What {@code -o} asks for: a table for people (the default), a wider one, or data for scripts. */
enum OutputFormat {
  /** The default: the columns that matter, sizes in MiB/GiB, durations in s/min. */
  table,
  /** The table with every column. */
  wide,
  /** The API's JSON as it came (a list stays a plain JSON array). */
  json,
  /** The same data as YAML. */
  yaml
}
