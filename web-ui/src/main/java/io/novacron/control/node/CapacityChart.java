package io.novacron.control.node;

import io.novacron.control.ui.SeriesChart;
import io.novacron.control.ui.Units;
import java.time.Instant;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/** A node's used and total vCPUs, memory and disk over time, one {@link SeriesChart} each. */
final class CapacityChart {
  private CapacityChart() {}

  /** One resource of a sample: its name, how its figures read, and its used and total columns. */
  enum Resource {
    VCPUS("vCPUs", n -> n + " vCPUs", CapacitySamples.Sample::vcpusUsed, CapacitySamples.Sample::vcpusTotal),
    MEMORY("memory", Units::mebibytes, CapacitySamples.Sample::memoryUsedMib, CapacitySamples.Sample::memoryTotalMib),
    DISK("disk", Units::gibibytes, CapacitySamples.Sample::diskUsedGib, CapacitySamples.Sample::diskTotalGib);

    final String label;
    final LongFunction<String> format;
    final ToLongFunction<CapacitySamples.Sample> used;
    final ToLongFunction<CapacitySamples.Sample> total;

    Resource(String label, LongFunction<String> format, ToLongFunction<CapacitySamples.Sample> used,
        ToLongFunction<CapacitySamples.Sample> total) {
      this.label = label;
      this.format = format;
      this.used = used;
      this.total = total;
    }
  }

  /** The chart of {@code resource} over {@code samples} (oldest first), both lines on one scale. */
  static String svg(Resource resource, List<CapacitySamples.Sample> samples) {
    return SeriesChart.svg(resource.label + " used and total over time",
        samples.stream().map(s -> s.at().toEpochMilli()).toList(),
        ms -> Units.instant(Instant.ofEpochMilli(ms)),
        List.of(
            new SeriesChart.Line("used", resource.label + " used", "#1676f3", false, SeriesChart.Axis.LEFT,
                samples.stream().map(s -> resource.used.applyAsLong(s)).toList(), resource.format),
            new SeriesChart.Line("total", resource.label + " total", "#555", true, SeriesChart.Axis.LEFT,
                samples.stream().map(s -> resource.total.applyAsLong(s)).toList(), resource.format)));
  }
}
