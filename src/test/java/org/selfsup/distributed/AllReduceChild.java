package org.selfsup.distributed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import org.selfsup.natives.Mpi;

/**
 * A rank of {@link AllReduceTest}: parameters of awkward sizes get rank-dependent gradients, the bucketed
 * reducer averages them (buckets of 1,000 bytes, so boundaries fall inside and between parameters and
 * some parameters are larger than a bucket), and every element is checked against the exact mean.
 */
public final class AllReduceChild {
    static final int[] SIZES = {1, 7, 250, 251, 1023, 3, 4097, 2, 65_537, 1};

    public static void main(String[] args) {
        Mpi mpi = Mpi.init();
        int rank = mpi.rank();
        int size = mpi.size();
        Collective c = new MpiCollective(mpi);
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            List<Parameter> params = new ArrayList<>();
            List<NDArray> coeff = new ArrayList<>();
            for (int i = 0; i < SIZES.length; i++) {
                Parameter p = Parameter.builder().setName("p" + i).setType(Parameter.Type.WEIGHT)
                        .build();
                NDArray w = m.zeros(new Shape(SIZES[i]));
                w.setRequiresGradient(true);
                p.setArray(w);
                params.add(p);
                coeff.add(values(m, i, rank, SIZES[i]));
            }
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray loss = null;
                for (int i = 0; i < params.size(); i++) {
                    NDArray term = params.get(i).getArray().mul(coeff.get(i)).sum();
                    loss = loss == null ? term : loss.add(term);
                }
                gc.backward(loss);
            }
            BucketedAllReduce reducer = new BucketedAllReduce(params, c, 1000, m, null);
            if (reducer.bucketCount() < 5) {
                throw new AssertionError("expected several buckets, got " + reducer.bucketCount());
            }
            reducer.reduce(m);
            for (int i = 0; i < params.size(); i++) {
                float[] got;
                try (NDArray g = params.get(i).getArray().getGradient()) {
                    got = g.toFloatArray();
                }
                for (int j = 0; j < got.length; j++) {
                    double want = 0;
                    for (int r = 0; r < size; r++) {
                        want += value(i, r, j);
                    }
                    want /= size;
                    if (got[j] != (float) want) {
                        throw new AssertionError("rank " + rank + ": parameter " + i + " element " + j + ": " + got[j]
                                + " != " + want);
                    }
                }
            }
            c.requireSame("the test's agreed value", 42, m);
            boolean refused = false;
            try {
                c.requireSame("the rank number", rank, m);
            } catch (org.selfsup.util.UserException e) {
                refused = e.getMessage().contains("disagree on the rank number");
            }
            if (!refused) {
                throw new AssertionError("requireSame accepted different values");
            }
        }
        System.out.println("rank " + rank + " OK " + size);
        c.close();
    }

    /** Small integers: sums and halves are exact in float32. */
    static float value(int param, int rank, int j) {
        return (rank + 1) * (j % 13 - 6) + param;
    }

    static NDArray values(NDManager m, int param, int rank, int n) {
        float[] v = new float[n];
        for (int j = 0; j < n; j++) {
            v[j] = value(param, rank, j);
        }
        return m.create(v);
    }
}
