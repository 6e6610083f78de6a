package io.novacron.workflows.migrate;

/**
 * Tuning of a live migration. Every field may be null (or 0), meaning its default.
 *
 * @param bandwidthMiBps cap on the migration stream in MiB/s; 0 or null = unlimited
 * @param parallelConnections more than 1 uses that many parallel (multifd) connections
 * @param compression memory compression; default {@code none}
 * @param autoConverge let QEMU throttle the guest's vCPUs when memory does not converge
 * @param postCopy allow a switch to post-copy: force-complete (signal or policy) then switches to
 *     post-copy instead of pausing the guest
 * @param maxDowntimeMs the longest pause the switch-over may cost; default libvirt's (300 ms). With
 *     downtime steps, the last step's allowance
 * @param completionTimeoutSecondsPerGiB seconds of transfer allowed per GiB of data to copy
 *     (memory plus non-shared disk), at least {@link MigrationPolicy#MIN_COMPLETION_TIMEOUT};
 *     default {@value MigrationPolicy#DEFAULT_SECONDS_PER_GIB}
 * @param onTimeout what happens on timeout or stall; default {@code abort}
 * @param stallIterations memory-copy iterations without a new low in remaining data that count
 *     as a stall; null or 0 = {@value MigrationPolicy#DEFAULT_STALL_ITERATIONS}, negative = never
 * @param shutdownTimeoutSeconds cold mode: how long the guest gets to shut down on request before
 *     it is powered off; default {@value MigrationPolicy#DEFAULT_SHUTDOWN_SECONDS}
 * @param transferCodec warm mode: the transfer engine's codec policy for the memory image and the
 *     disk ({@code zstd:<1-19>}, {@code lz4}, {@code auto} or {@code none}); default
 *     {@value #DEFAULT_TRANSFER_CODEC}; also the codec of live mode's disk pre-copy
 * @param precopyDisk live mode with disks that are not shared: copy the disk with the transfer
 *     engine while the guest runs (its writes go to an overlay meanwhile), so that libvirt's
 *     storage mirror moves only the overlay. False mirrors the whole disk. Not set (the
 *     default): pre-copy unless the disk stands alone, holds at most 64 MiB and the move has no
 *     bandwidth cap, where libvirt's mirror sends it sooner ({@link PrecopyPolicy})
 * @param downtimeSteps nova's downtime steps: with {@code maxDowntimeMs} set, the allowed pause
 *     starts at maxDowntimeMs / steps and rises in equal steps to maxDowntimeMs, so a guest that
 *     converges early pauses briefly; default 1 (maxDowntimeMs from the start)
 * @param downtimeDelaySecondsPerGiB seconds between two downtime steps per GiB of data to copy;
 *     default {@value MigrationPolicy#DEFAULT_DOWNTIME_DELAY_SECONDS_PER_GIB} (nova's)
 */
public record MigrationOptions(
    Integer bandwidthMiBps,
    Integer parallelConnections,
    Compression compression,
    Boolean autoConverge,
    Boolean postCopy,
    Integer maxDowntimeMs,
    Integer completionTimeoutSecondsPerGiB,
    TimeoutAction onTimeout,
    Integer stallIterations,
    Integer shutdownTimeoutSeconds,
    String transferCodec,
    Boolean precopyDisk,
    Integer downtimeSteps,
    Integer downtimeDelaySecondsPerGiB) {
  /** A paused guest's memory and a disk are mostly zeros and text: worth compressing. */
  public static final String DEFAULT_TRANSFER_CODEC = "zstd:3";

  /** Every default. */
  public static MigrationOptions defaults() {
    return new MigrationOptions(null, null, null, null, null, null, null, null, null, null, null,
        null, null, null);
  }

  // Withers: callers name the options they set (MigrationOptions.defaults().withPostCopy(true))
  // instead of counting fourteen positional nulls.

  /** These options with {@code bandwidthMiBps} set. */
  public MigrationOptions withBandwidthMiBps(Integer value) {
    return new MigrationOptions(value, parallelConnections, compression, autoConverge, postCopy,
        maxDowntimeMs, completionTimeoutSecondsPerGiB, onTimeout, stallIterations,
        shutdownTimeoutSeconds, transferCodec, precopyDisk, downtimeSteps,
        downtimeDelaySecondsPerGiB);
  }

  /** These options with {@code parallelConnections} set. */
  public MigrationOptions withParallelConnections(Integer value) {
    return new MigrationOptions(bandwidthMiBps, value, compression, autoConverge, postCopy,
        maxDowntimeMs, completionTimeoutSecondsPerGiB, onTimeout, stallIterations,
        shutdownTimeoutSeconds, transferCodec, precopyDisk, downtimeSteps,
        downtimeDelaySecondsPerGiB);
  }

  /** These options with {@code compression} set. */
  public MigrationOptions withCompression(Compression value) {
    return new MigrationOptions(bandwidthMiBps, parallelConnections, value, autoConverge, postCopy,
        maxDowntimeMs, completionTimeoutSecondsPerGiB, onTimeout, stallIterations,
        shutdownTimeoutSeconds, transferCodec, precopyDisk, downtimeSteps,
        downtimeDelaySecondsPerGiB);
  }

  /** These options with {@code autoConverge} set. */
  public MigrationOptions withAutoConverge(Boolean value) {
    return new MigrationOptions(bandwidthMiBps, parallelConnections, compression, value, postCopy,
        maxDowntimeMs, completionTimeoutSecondsPerGiB, onTimeout, stallIterations,
        shutdownTimeoutSeconds, transferCodec, precopyDisk, downtimeSteps,
        downtimeDelaySecondsPerGiB);
  }

  /** These options with {@code postCopy} set. */
  public MigrationOptions withPostCopy(Boolean value) {
    return new MigrationOptions(bandwidthMiBps, parallelConnections, compression, autoConverge,
        value, maxDowntimeMs, completionTimeoutSecondsPerGiB, onTimeout, stallIterations,
        shutdownTimeoutSeconds, transferCodec, precopyDisk, downtimeSteps,
        downtimeDelaySecondsPerGiB);
  }

  /** These options with {@code maxDowntimeMs} set. */
  public MigrationOptions withMaxDowntimeMs(Integer value) {
    return new MigrationOptions(bandwidthMiBps, parallelConnections, compression, autoConverge,
        postCopy, value, completionTimeoutSecondsPerGiB, onTimeout, stallIterations,
        shutdownTimeoutSeconds, transferCodec, precopyDisk, downtimeSteps,
        downtimeDelaySecondsPerGiB);
  }

  /** These options with {@code completionTimeoutSecondsPerGiB} set. */
  public MigrationOptions withCompletionTimeoutSecondsPerGiB(Integer value) {
    return new MigrationOptions(bandwidthMiBps, parallelConnections, compression, autoConverge,
        postCopy, maxDowntimeMs, value, onTimeout, stallIterations, shutdownTimeoutSeconds,
        transferCodec, precopyDisk, downtimeSteps, downtimeDelaySecondsPerGiB);
  }

  /** These options with {@code onTimeout} set. */
  public MigrationOptions withOnTimeout(TimeoutAction value) {
    return new MigrationOptions(bandwidthMiBps, parallelConnections, compression, autoConverge,
        postCopy, maxDowntimeMs, completionTimeoutSecondsPerGiB, value, stallIterations,
        shutdownTimeoutSeconds, transferCodec, precopyDisk, downtimeSteps,
        downtimeDelaySecondsPerGiB);
  }

  /** These options with {@code stallIterations} set. */
  public MigrationOptions withStallIterations(Integer value) {
    return new MigrationOptions(bandwidthMiBps, parallelConnections, compression, autoConverge,
        postCopy, maxDowntimeMs, completionTimeoutSecondsPerGiB, onTimeout, value,
        shutdownTimeoutSeconds, transferCodec, precopyDisk, downtimeSteps,
        downtimeDelaySecondsPerGiB);
  }

  /** These options with {@code shutdownTimeoutSeconds} set. */
  public MigrationOptions withShutdownTimeoutSeconds(Integer value) {
    return new MigrationOptions(bandwidthMiBps, parallelConnections, compression, autoConverge,
        postCopy, maxDowntimeMs, completionTimeoutSecondsPerGiB, onTimeout, stallIterations, value,
        transferCodec, precopyDisk, downtimeSteps, downtimeDelaySecondsPerGiB);
  }

  /** These options with {@code transferCodec} set. */
  public MigrationOptions withTransferCodec(String value) {
    return new MigrationOptions(bandwidthMiBps, parallelConnections, compression, autoConverge,
        postCopy, maxDowntimeMs, completionTimeoutSecondsPerGiB, onTimeout, stallIterations,
        shutdownTimeoutSeconds, value, precopyDisk, downtimeSteps, downtimeDelaySecondsPerGiB);
  }

  /** These options with {@code precopyDisk} set. */
  public MigrationOptions withPrecopyDisk(Boolean value) {
    return new MigrationOptions(bandwidthMiBps, parallelConnections, compression, autoConverge,
        postCopy, maxDowntimeMs, completionTimeoutSecondsPerGiB, onTimeout, stallIterations,
        shutdownTimeoutSeconds, transferCodec, value, downtimeSteps, downtimeDelaySecondsPerGiB);
  }

  /** These options with {@code downtimeSteps} set. */
  public MigrationOptions withDowntimeSteps(Integer value) {
    return new MigrationOptions(bandwidthMiBps, parallelConnections, compression, autoConverge,
        postCopy, maxDowntimeMs, completionTimeoutSecondsPerGiB, onTimeout, stallIterations,
        shutdownTimeoutSeconds, transferCodec, precopyDisk, value, downtimeDelaySecondsPerGiB);
  }

  /** These options with {@code downtimeDelaySecondsPerGiB} set. */
  public MigrationOptions withDowntimeDelaySecondsPerGiB(Integer value) {
    return new MigrationOptions(bandwidthMiBps, parallelConnections, compression, autoConverge,
        postCopy, maxDowntimeMs, completionTimeoutSecondsPerGiB, onTimeout, stallIterations,
        shutdownTimeoutSeconds, transferCodec, precopyDisk, downtimeSteps, value);
  }

  /** The same options with every unset field at its default. */
  public MigrationOptions resolved() {
    return new MigrationOptions(
        positiveOr(bandwidthMiBps, 0),
        Math.max(1, positiveOr(parallelConnections, 1)),
        compression == null ? Compression.NONE : compression,
        Boolean.TRUE.equals(autoConverge),
        Boolean.TRUE.equals(postCopy),
        positiveOr(maxDowntimeMs, 0),
        positiveOr(completionTimeoutSecondsPerGiB, MigrationPolicy.DEFAULT_SECONDS_PER_GIB),
        onTimeout == null ? TimeoutAction.ABORT : onTimeout,
        stallIterations == null || stallIterations == 0
            ? MigrationPolicy.DEFAULT_STALL_ITERATIONS : stallIterations,
        positiveOr(shutdownTimeoutSeconds, MigrationPolicy.DEFAULT_SHUTDOWN_SECONDS),
        transferCodec == null || transferCodec.isBlank() ? DEFAULT_TRANSFER_CODEC : transferCodec.trim(),
        !Boolean.FALSE.equals(precopyDisk),
        positiveOr(downtimeSteps, 1),
        positiveOr(downtimeDelaySecondsPerGiB, MigrationPolicy.DEFAULT_DOWNTIME_DELAY_SECONDS_PER_GIB));
  }

  private static int positiveOr(Integer value, int fallback) {
    return value == null || value <= 0 ? fallback : value;
  }
}
