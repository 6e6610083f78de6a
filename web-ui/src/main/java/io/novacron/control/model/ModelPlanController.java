package io.novacron.control.model;

import io.novacron.control.shared.InvalidRequestException;

import io.novacron.control.model.PlanPreviewRequest;
import io.novacron.control.model.PlanPreviews;
import io.novacron.workflows.model.ParallelismPlan;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Model plans: how a model would be laid out on a cluster. Pure: deploys nothing. */
@RestController
@RequestMapping("/api/v1/model-plans")
class ModelPlanController {
  private final PlanPreviews previews;

  ModelPlanController(PlanPreviews previews) {
    this.previews = previews;
  }

  /**
   * The plan (200), also where nothing fits: then {@code fits} is false and the shortfall and the
   * rejected layouts say why. 400 names every bad field.
   */
  @PostMapping
  ParallelismPlan plan(@RequestBody(required = false) PlanPreviewRequest request) {
    PlanPreviews.Result result = previews.preview(request);
    if (!result.errors().isEmpty()) {
      throw new InvalidRequestException(result.errors());
    }
    return result.plan();
  }
}
