package io.novacron.control.inventory;

import java.util.List;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.data.repository.ListCrudRepository;

/** Reads the node inventory. Announcements are written by {@link InventoryActivitiesImpl}. */
public interface NodeRepository extends ListCrudRepository<NodeRow, String> {
  @Query("select * from nodes order by name")
  List<NodeRow> findAllByOrderByName();

  /** One page of the nodes by name (the primary key's order). */
  @Query("select * from nodes order by name limit :limit offset :offset")
  List<NodeRow> findPage(@Param("limit") int limit,
      @Param("offset") long offset);
}
