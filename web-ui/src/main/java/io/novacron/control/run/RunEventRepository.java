package io.novacron.control.run;

import java.util.List;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.query.Param;

/** Reads a run's phase timeline. */
public interface RunEventRepository extends ListCrudRepository<RunEventRow, Long> {
  @Query("select * from run_events where run_id = :runId order by at, id")
  List<RunEventRow> findTimeline(@Param("runId") String runId);
}
