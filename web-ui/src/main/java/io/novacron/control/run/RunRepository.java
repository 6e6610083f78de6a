package io.novacron.control.run;

import java.util.List;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.query.Param;

/** Reads run records. They are written by {@link RunRecordActivitiesImpl}. */
public interface RunRepository extends ListCrudRepository<RunRow, String> {
  @Query("select * from runs order by started_at desc limit :limit offset :offset")
  List<RunRow> findPage(@Param("limit") int limit, @Param("offset") long offset);

  /**
   * A page of runs, newest first, narrowed by type, state and a text found (case-insensitively) in
   * the id, subject, node or detail. A null filter matches everything.
   */
  @Query("select * from runs where " + FILTER + " order by started_at desc, id limit :limit offset :offset")
  List<RunRow> findFiltered(@Param("type") String type, @Param("state") String state, @Param("text") String text,
      @Param("limit") int limit, @Param("offset") long offset);

  /** How many runs {@link #findFiltered} would page through. */
  @Query("select count(*) from runs where " + FILTER)
  long countFiltered(@Param("type") String type, @Param("state") String state, @Param("text") String text);

  /**
   * A page of the runs matching the API's filters, newest first; a null filter matches every run.
   * Indexed by type and by subject (V11__run_list_indexes.sql).
   */
  @Query("select * from runs where " + MATCH + " order by started_at desc, id limit :limit offset :offset")
  List<RunRow> findMatching(@Param("type") String type, @Param("state") String state,
      @Param("subject") String subject, @Param("limit") int limit, @Param("offset") long offset);

  /** How many runs {@link #findMatching} pages through. */
  @Query("select count(*) from runs where " + MATCH)
  long countMatching(@Param("type") String type, @Param("state") String state, @Param("subject") String subject);

  /** The API's filters: exact type, state and subject. */
  String MATCH = "(cast(:type as text) is null or type = :type)"
      + " and (cast(:state as text) is null or state = :state)"
      + " and (cast(:subject as text) is null or subject = :subject)";

  /** The run types recorded so far, for a filter. */
  @Query("select distinct type from runs order by type")
  List<String> findTypes();

  // A null parameter needs a type for PostgreSQL to compare it: hence the casts.
  String FILTER = "(cast(:type as text) is null or type = :type)"
      + " and (cast(:state as text) is null or state = :state)"
      + " and (cast(:text as text) is null or strpos(lower(id || ' ' || coalesce(subject, '') || ' '"
      + " || coalesce(node, '') || ' ' || coalesce(detail, '')), lower(:text)) > 0)";
  /** The id of a run of {@code type} on {@code subject} that has not ended, if any. */
  @Query("select id from runs where type = :type and subject = :subject and " + RunStates.ACTIVE_SQL + " limit 1")
  java.util.Optional<String> findActive(@Param("type") String type, @Param("subject") String subject);

  /**
   * The run of one of {@code types} on {@code subject} that has not ended (RUNNING, QUEUED or
   * ATTENTION), the oldest first; empty when none.
   */
  @Query("select * from runs where subject = :subject and type in (:types) and " + RunStates.ACTIVE_SQL
      + " order by started_at limit 1")
  java.util.Optional<RunRow> findUnfinished(@Param("subject") String subject,
      @Param("types") java.util.Collection<String> types);

  /** The newest {@code limit} runs about {@code subject} (a VM's name, a deployment's), newest first. */
  @Query("select * from runs where subject = :subject order by started_at desc, id limit :limit")
  List<RunRow> findBySubject(@Param("subject") String subject, @Param("limit") int limit);
}
