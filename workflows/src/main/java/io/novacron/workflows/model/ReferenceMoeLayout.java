package io.novacron.workflows.model;

/**
 * A layout users of a serving engine actually run for a MoE model, with where it is published, so
 * that the planner's arithmetic can be checked against practice (see {@link ReferenceMoeLayouts}).
 *
 * @param model name in {@link KnownMoeModels}
 * @param engine serving engine
 * @param nodes nodes used
 * @param gpusPerNode GPUs per node
 * @param gpu GPU product
 * @param gpuMemoryGib memory of one GPU
 * @param dtype weight storage type
 * @param tp attention tensor-parallel degree (over all the replica's GPUs when pp is 1)
 * @param pp pipeline stages
 * @param ep expert-parallel degree
 * @param flags the engine flags that give this layout
 * @param source where the layout is published
 */
public record ReferenceMoeLayout(
    String model,
    String engine,
    int nodes,
    int gpusPerNode,
    String gpu,
    double gpuMemoryGib,
    WeightDtype dtype,
    int tp,
    int pp,
    int ep,
    String flags,
    String source) {}
