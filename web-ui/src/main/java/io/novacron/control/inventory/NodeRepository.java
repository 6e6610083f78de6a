package io.novacron.control.inventory;

import java.util.List;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/** Reads the node inventory. Announcements are written by {@link InventoryActivitiesImpl}. */
public interface NodeRepository extends ListCrudRepository<NodeRow, String> {
  @Query("select * from nodes order by name")
  List<NodeRow> findAllByOrderByName();
}
