package io.novacron.control.inventory;

import java.util.List;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.data.repository.ListCrudRepository;

/** Reads the VM inventory. */
public interface VmRepository extends ListCrudRepository<VmRow, String> {
  @Query("select * from vms order by name")
  List<VmRow> findAllByOrderByName();

  /** One page of {@link #findByLabelsContaining(String)}; the label filter uses the GIN index vms_labels. */
  @Query("select * from vms where cast(labels as jsonb) @> cast(:selector as jsonb) order by name"
      + " limit :limit offset :offset")
  List<VmRow> findByLabelsContaining(@Param("selector") String selector, @Param("limit") int limit,
      @Param("offset") long offset);

  /** How many VMs {@link #findByLabelsContaining(String)} finds. */
  @Query("select count(*) from vms where cast(labels as jsonb) @> cast(:selector as jsonb)")
  long countByLabelsContaining(@Param("selector") String selector);

  /** The VMs whose labels contain every pair of {@code selector}, a JSON object of strings. */
  @Query("select * from vms where cast(labels as jsonb) @> cast(:selector as jsonb) order by name")
  List<VmRow> findByLabelsContaining(@Param("selector") String selector);
}
