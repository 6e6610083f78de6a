package io.novacron.control.inventory;

import java.util.List;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/** Reads the VM inventory. */
public interface VmRepository extends ListCrudRepository<VmRow, String> {
  @Query("select * from vms order by name")
  List<VmRow> findAllByOrderByName();
}
