package io.novacron.control.run;

import java.util.List;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.query.Param;

/** Reads run records. They are written by {@link RunRecordActivitiesImpl}. */
public interface RunRepository extends ListCrudRepository<RunRow, String> {
  @Query("select * from runs order by started_at desc limit :limit offset :offset")
  List<RunRow> findPage(@Param("limit") int limit, @Param("offset") long offset);

  /** The id of a running run of {@code type} on {@code subject}, if any. */
  @Query("select id from runs where type = :type and subject = :subject and state = 'RUNNING' limit 1")
  java.util.Optional<String> findRunning(@Param("type") String type, @Param("subject") String subject);
}
