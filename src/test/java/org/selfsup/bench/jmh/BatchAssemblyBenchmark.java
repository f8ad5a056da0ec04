package org.selfsup.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.selfsup.augment.BatchAssembler;
import org.selfsup.augment.ViewBatch;
import org.selfsup.augment.plans.PlanOptions;
import org.selfsup.augment.plans.ViewPlans;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.data.readers.SyntheticImages;

/**
 * {@link BatchAssembler#assemble} on 32x32 synthetic images: normalised float batches of every view of
 * a plan. Scores are <b>source images per second</b> ({@link OperationsPerInvocation} = batch size).
 * Each call uses the next batch of indices and, after a pass over the store, the next epoch, so the
 * random views keep changing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class BatchAssemblyBenchmark {
    private static final int BATCH = 256;
    private static final int STORE = 2048;

    @Param({"byol", "rsa"})
    public String plan;

    @Param({"1", "2"})
    public int threads;

    private BatchAssembler assembler;
    private final int[] indices = new int[BATCH];
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        ImageStore store = SyntheticImages.generate("bench", STORE, 10, 32, 1, 0);
        assembler = new BatchAssembler(store, ViewPlans.create(plan, 32, PlanOptions.defaults()),
                Normalization.CIFAR, threads, 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        assembler.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public ViewBatch assemble() {
        for (int i = 0; i < BATCH; i++) {
            indices[i] = (next + i) % STORE;
        }
        int epoch = next / STORE;
        next += BATCH;
        return assembler.assemble(epoch, indices);
    }
}
