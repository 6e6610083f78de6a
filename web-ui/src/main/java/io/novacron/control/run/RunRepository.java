package io.novacron.control.run;

import java.util.List;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.query.Param;

/** Reads run records. They are written by {@link RunRecordActivitiesImpl}. */
public interface RunRepository extends ListCrudRepository<RunRow, String> {
  @Query("select * from runs order by started_at desc limit :limit offset :offset")
  List<RunRow> findPage(@Param("limit") int limit, @Param("offset") long offset);
}
