package org.selfsup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.selfsup.augment.BatchAssembler;
import org.selfsup.augment.EpochLoader;
import org.selfsup.augment.ViewBatch;
import org.selfsup.data.Shard;

/**
 * Batches assembled on the CPU ({@code augment-on: cpu}): an {@link EpochLoader} per epoch (shuffled,
 * drop-last, {@code prefetch} batches assembled ahead), the next epoch's loader opened before the current
 * one drains; the views a method reads are copied to the device one batch ahead on a staging thread
 * (or on the training thread when no staging manager is given).
 */
public final class CpuBatchSource extends PrefetchingSource<EpochLoader> {
    private final BatchAssembler assembler;
    private final int batchSize;
    private final int prefetch;
    private final List<String> views;
    private final Shard shard;

    /**
     * @param assembler makes the batches (store, plan, seed)
     * @param views     the view names the method reads (only these are uploaded)
     * @param batchSize images per batch
     * @param prefetch  batches assembled ahead (0 = on the training thread)
     * @param epochs    epochs of the run
     * @param stageOn   the model's manager: copy the next batch's views to the device on a background
     *                  thread while the current step runs; null = copy them on the training thread
     */
    public CpuBatchSource(BatchAssembler assembler, List<String> views, int batchSize, int prefetch, int epochs,
                          NDManager stageOn) {
        this(assembler, views, batchSize, prefetch, epochs, stageOn, Shard.ALL);
    }

    /**
     * As above over this rank's {@link Shard} of every epoch (data-parallel training; {@code batchSize} is
     * then the per-rank batch).
     */
    public CpuBatchSource(BatchAssembler assembler, List<String> views, int batchSize, int prefetch, int epochs,
                          NDManager stageOn, Shard shard) {
        super(epochs, prefetch, stageOn);
        this.shard = shard;
        this.assembler = assembler;
        this.views = List.copyOf(views);
        this.batchSize = batchSize;
        this.prefetch = prefetch;
    }

    @Override
    EpochLoader open(int epoch, int startBatch) {
        return new EpochLoader(assembler, epoch, shard, batchSize, startBatch, prefetch);
    }

    @Override
    int batchCount(EpochLoader loader) {
        return loader.batchCount();
    }

    @Override
    Map<String, NDArray> take(EpochLoader loader, NDManager step) {
        ViewBatch batch = loader.next();
        Map<String, NDArray> arrays = upload(batch, views, step);
        assembler.recycle(batch); // the device arrays are copies
        return arrays;
    }

    /** The named views of a host batch as float32 NCHW arrays in {@code step}. */
    static Map<String, NDArray> upload(ViewBatch vb, List<String> names, NDManager step) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        Shape shape = new Shape(vb.shape());
        for (String name : names) {
            out.put(name, step.create(vb.view(name), shape));
        }
        return out;
    }
}
