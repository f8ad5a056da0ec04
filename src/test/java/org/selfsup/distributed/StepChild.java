package org.selfsup.distributed;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.selfsup.augment.EpochLoader;
import org.selfsup.config.Choices;
import org.selfsup.data.Shard;
import org.selfsup.method.Byol;
import org.selfsup.method.StepContext;
import org.selfsup.model.Networks;
import org.selfsup.runtime.StepPrecision;
import org.selfsup.optim.Sgd;
import org.selfsup.train.Ema;
import org.selfsup.train.RunSchedule;
import org.selfsup.train.StepRunner;
import org.selfsup.train.TrainableModel;

/**
 * One rank (or the single reference process) of {@link DataParallelStepTest}: BYOL with SGD and an EMA
 * target on a tiny MLP (optionally with BatchNorm, DJL's own batchNorm op), trained for some steps on
 * fixed synthetic two-view data through the real {@link StepRunner}, {@link Shard} and bucketed
 * all-reduce. Writes the final online parameters of each rank to {@code OUT.rankR}.
 *
 * <p>Arguments: {@code bn|plain}, global batch, steps, split (the reference run: BatchNorm normalises
 * each of {@code split} interleaved sub-batches separately, as {@code split} ranks would), out path.
 */
public final class StepChild {
    static final int N = 50;
    static final int D = 6;
    static final int H = 10;
    static final int O = 5;

    public static void main(String[] args) throws IOException {
        boolean bn = args[0].equals("bn");
        int globalBatch = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        int split = Integer.parseInt(args[3]);
        Path out = Path.of(args[4]);
        World world = World.detect();
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             Distributed dist = Distributed.open(world, Device.cpu(), 60, System.err)) {
            Mlp model = new Mlp(m, bn, split);
            model.write(Path.of(out + ".init"));
            dist.requireSame("the initial weights", model.checksum(), m);
            Shard shard = new Shard(world.rank(), world.size());
            int local = globalBatch / world.size();
            try (StepPrecision opt = StepPrecision.fp32(new Sgd(model.trainableParameters(), m, 0.9, false, 1e-4));
                 Ema ema = new Ema(model.emaPairs(), m);
                 RunSchedule schedule = RunSchedule.constant(0.05, 0.9, steps, true, m)) {
                StepRunner runner = new StepRunner(new Byol(), model, opt, ema, Choices.EmaTiming.BEFORE_FORWARD, schedule,
                        dist.reducer(model.trainableParameters(), 200, m), m);
                dist.arm("test steps");
                int perEpoch = shard.size(N) / local;
                for (int k = 0; k < steps; k++) {
                    int epoch = k / perEpoch;
                    int batch = k % perEpoch;
                    int[] mine = shard.of(EpochLoader.shuffle(7, epoch, N));
                    int[] idx = java.util.Arrays.copyOfRange(mine, batch * local, (batch + 1) * local);
                    try (NDManager sm = m.newSubManager()) {
                        Map<String, NDArray> views = new LinkedHashMap<>();
                        views.put("v1", view(sm, idx, epoch, 1));
                        views.put("v2", view(sm, idx, epoch, 2));
                        runner.step(sm, views, new StepContext(k + 1, steps, epoch));
                    }
                }
                dist.disarm();
            }
            model.write(Path.of(out + ".rank" + world.rank()));
        }
        System.out.println(world.label() + " done");
    }

    /** View {@code v} of images {@code idx} in {@code epoch}: a fixed base point plus per-(epoch, image) noise. */
    static NDArray view(NDManager m, int[] idx, int epoch, int v) {
        float[] data = new float[idx.length * D];
        for (int i = 0; i < idx.length; i++) {
            SplittableRandom base = new SplittableRandom(1000 + idx[i]);
            SplittableRandom noise = new SplittableRandom(((long) epoch << 32) ^ (idx[i] * 31L + v));
            for (int j = 0; j < D; j++) {
                data[i * D + j] = (float) (base.nextGaussian() + 0.3 * noise.nextGaussian());
            }
        }
        return m.create(data, new Shape(idx.length, D));
    }

    /**
     * project(x) = W2 relu(BN?(W1 x + b1)), predict(z) = Q2 relu(Q1 z), targetProject(x) = the EMA copy of
     * project; weights from a fixed seed (identical on every rank).
     */
    static final class Mlp implements TrainableModel {
        private final List<Parameter> online = new ArrayList<>();
        private final List<Parameter> target = new ArrayList<>();
        private final NDArray[] runningOnline;
        private final NDArray[] runningTarget;
        private final boolean bn;
        private final int split;

        Mlp(NDManager m, boolean bn, int split) {
            this.bn = bn;
            this.split = split;
            SplittableRandom r = new SplittableRandom(3);
            String[] names = {"w1", "b1", "gamma", "beta", "w2", "q1", "q2"};
            long[][] shapes = {{D, H}, {H}, {H}, {H}, {H, O}, {O, H}, {H, O}};
            for (int i = 0; i < names.length; i++) {
                float[] v = new float[(int) new Shape(shapes[i]).size()];
                for (int j = 0; j < v.length; j++) {
                    v[j] = names[i].equals("gamma") ? 1 : names[i].equals("beta") ? 0 : (float) (0.4 * r.nextGaussian());
                }
                online.add(param(m, names[i], v, shapes[i], true));
                if (i < 5) {
                    target.add(param(m, "t" + names[i], v, shapes[i], false));
                }
            }
            runningOnline = new NDArray[] {m.zeros(new Shape(H)), m.ones(new Shape(H))};
            runningTarget = new NDArray[] {m.zeros(new Shape(H)), m.ones(new Shape(H))};
        }

        private static Parameter param(NDManager m, String name, float[] v, long[] shape, boolean grad) {
            Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
            NDArray a = m.create(v, new Shape(shape));
            a.setRequiresGradient(grad);
            p.setArray(a);
            return p;
        }

        void write(Path file) throws IOException {
            try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(file))) {
                for (Parameter p : trainableParameters()) {
                    for (float f : p.getArray().toFloatArray()) {
                        o.writeFloat(f);
                    }
                }
            }
        }

        long checksum() {
            long h = 17;
            for (Parameter p : online) {
                for (float f : p.getArray().toFloatArray()) {
                    h = h * 31 + Float.floatToIntBits(f);
                }
            }
            return h;
        }

        private NDArray a(List<Parameter> ps, int i) {
            return ps.get(i).getArray();
        }

        private NDArray encode(List<Parameter> ps, NDArray[] running, NDArray x) {
            NDArray h = x.matMul(a(ps, 0)).add(a(ps, 1));
            if (bn) {
                h = split == 1 ? norm(ps, running, h) : interleavedNorm(ps, running, h);
            }
            return Activation.relu(h).matMul(a(ps, 4));
        }

        private NDArray norm(List<Parameter> ps, NDArray[] running, NDArray h) {
            return BatchNorm.batchNorm(h, running[0], running[1], a(ps, 2), a(ps, 3), 1, 0.1f, 1e-5f, true)
                    .singletonOrThrow();
        }

        /** Rows r, r + split, ... normalised together (as rank r would), put back in their places. */
        private NDArray interleavedNorm(List<Parameter> ps, NDArray[] running, NDArray h) {
            int n = (int) h.getShape().get(0);
            NDList parts = new NDList();
            for (int r = 0; r < split; r++) {
                parts.add(norm(ps, running, h.get(r + "::" + split)));
            }
            // stack to [n/split, split, H] then reshape: row j*split + r comes from part r row j
            return NDArrays.stack(parts, 1).reshape(n, H);
        }

        @Override
        public Networks networks(ParameterStore ps) {
            return new Networks() {
                @Override
                public NDArray features(NDArray x) {
                    return x;
                }

                @Override
                public NDArray project(NDArray x) {
                    return encode(online, runningOnline, x);
                }

                @Override
                public NDArray predict(NDArray z) {
                    return Activation.relu(z.matMul(a(online, 5))).matMul(a(online, 6));
                }

                @Override
                public NDArray targetProject(NDArray x) {
                    return encode(target, runningTarget, x).stopGradient();
                }
            };
        }

        @Override
        public List<Parameter> trainableParameters() {
            return bn ? online : online.stream().filter(p -> !p.getName().equals("gamma") && !p.getName().equals("beta"))
                    .toList();
        }

        @Override
        public List<NDArray[]> emaPairs() {
            List<NDArray[]> pairs = new ArrayList<>();
            for (int i = 0; i < target.size(); i++) {
                if (!bn && (i == 2 || i == 3)) {
                    continue;
                }
                pairs.add(new NDArray[] {a(target, i), a(online, i)});
            }
            return pairs;
        }

        @Override
        public void save(DataOutputStream out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void load(DataInputStream in) {
            throw new UnsupportedOperationException();
        }
    }
}
