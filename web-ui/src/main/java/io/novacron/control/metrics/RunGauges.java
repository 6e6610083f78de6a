package io.novacron.control.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.novacron.workflows.run.RunState;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code novacron_runs{state="queued|running|attention"}}: the open runs now, read from the run
 * records at scrape time. {@code attention} runs wait for an operator ({@code novacron runs
 * resolve}); an alert on them is the point of this gauge.
 */
@Component
class RunGauges implements MeterBinder {
  static final List<RunState> OPEN = List.of(RunState.QUEUED, RunState.RUNNING, RunState.ATTENTION);
  private final JdbcClient jdbc;

  RunGauges(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (RunState state : OPEN) {
      Gauge.builder("novacron.runs", () -> count(state))
          .description("Open runs now, by state: queued (waiting for a slot), running, attention (waiting for an operator)")
          .tag("state", state.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
  }

  long count(RunState state) {
    return jdbc.sql("select count(*) from runs where state = :state").param("state", state.name())
        .query(Long.class).single();
  }
}
