package org.selfsup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.selfsup.augment.device.DeviceAugmenter;
import org.selfsup.augment.device.DeviceEpochLoader;
import org.selfsup.augment.device.DevicePlan;
import org.selfsup.augment.device.DeviceViews;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.data.Shard;
import org.selfsup.util.UserException;

/**
 * Batches augmented on the engine's device ({@code augment-on: device}): the host packs the uint8
 * source pixels and samples the random parameters {@code prefetch} batches ahead on a background thread
 * (across the epoch boundary too); the pixels are uploaded once per batch and the batched crop/flip/colour
 * ops of {@link DeviceAugmenter} (Pillow-exact uint8 emulation, as the CPU path) run one batch ahead on a
 * staging thread, or on the training thread without staging.
 * Same shuffle and batch composition as the CPU path.
 */
public final class DeviceBatchSource extends PrefetchingSource<DeviceEpochLoader> {
    private final DeviceAugmenter augmenter;
    private final ImageStore store;
    private final List<String> views;
    private final long seed;
    private final int batchSize;
    private final int prefetch;
    private final Shard shard;

    /**
     * @param plan      the device plan, which makes the views the method reads (checked by the run assembly,
     *                  {@code ViewPlans.viewMismatch})
     * @param norm      normalisation of the data set
     * @param store     source images
     * @param views     the view names the method reads
     * @param manager   the model's manager (augmentation constants live in a sub-manager of it)
     * @param seed      run seed
     * @param batchSize images per batch
     * @param prefetch  host batches prepared ahead (at least 1 is used)
     * @param epochs    epochs of the run
     * @param stageOn   a manager on the model's device: upload and augment the next batch under it on a
     *                  background thread while the current step runs (the augmenter is then used by that
     *                  thread only); null = on the training thread
     */
    public DeviceBatchSource(DevicePlan plan, Normalization norm, ImageStore store, List<String> views,
                             NDManager manager, long seed, int batchSize, int prefetch, int epochs,
                             NDManager stageOn) {
        this(plan, norm, store, views, manager, seed, batchSize, prefetch, epochs, stageOn, Shard.ALL);
    }

    /**
     * As above over this rank's {@link Shard} of every epoch (data-parallel training; {@code batchSize} is
     * then the per-rank batch).
     */
    public DeviceBatchSource(DevicePlan plan, Normalization norm, ImageStore store, List<String> views,
                             NDManager manager, long seed, int batchSize, int prefetch, int epochs,
                             NDManager stageOn, Shard shard) {
        super(epochs, Math.max(1, prefetch), stageOn);
        this.shard = shard;
        this.augmenter = new DeviceAugmenter(plan, norm, manager, true);
        this.store = store;
        this.views = List.copyOf(views);
        this.seed = seed;
        this.batchSize = batchSize;
        this.prefetch = Math.max(1, prefetch);
    }

    /**
     * The device plan for a plan name, or a user error naming {@code augment-on} for plans the device
     * path cannot make.
     */
    public static DevicePlan plan(String planName, int size, org.selfsup.augment.plans.PlanOptions opts) {
        if (!DevicePlan.NAMES.contains(planName)) {
            throw new UserException("augment-on: device supports the plans " + String.join(", ", DevicePlan.NAMES)
                    + ", not '" + planName + "'; use augment-on: cpu for it");
        }
        return DevicePlan.create(planName, size, opts);
    }

    @Override
    DeviceEpochLoader open(int epoch, int startBatch) {
        return new DeviceEpochLoader(augmenter, store, seed, epoch, shard, batchSize, true, startBatch, prefetch);
    }

    @Override
    int batchCount(DeviceEpochLoader loader) {
        return loader.batchCount();
    }

    @Override
    Map<String, NDArray> take(DeviceEpochLoader loader, NDManager step) {
        DeviceViews dv = loader.next(step);
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String name : views) {
            out.put(name, dv.view(name));
        }
        return out;
    }

    @Override
    public void close() {
        try {
            super.close();
        } finally {
            augmenter.close();
        }
    }
}
