package org.selfsup.eval;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.selfsup.augment.RandomTransform;
import org.selfsup.augment.ops.GaussianBlur;
import org.selfsup.augment.ops.Grayscale;
import org.selfsup.augment.ops.Solarize;
import org.selfsup.augment.random.ColorJitter;
import org.selfsup.augment.random.RandAugment;
import org.selfsup.augment.random.RandAugmentOp;
import org.selfsup.augment.random.RandomResizedCrop;
import org.selfsup.data.Image;
import org.selfsup.data.ImageSet;
import org.selfsup.data.Normalization;
import org.selfsup.runtime.TorchThreads;
import org.selfsup.util.Seeds;

/**
 * Semantic shift of augmentations for a frozen encoder (issue 24): for each augmentation setting (a
 * {@link Probe}), how far it moves a test image's embedding from the unaugmented image's, and what it does
 * to kNN accuracy when applied to the test images with the unaugmented train split as the memory bank.
 *
 * <p>Shift of a probe = mean over the scored test images of {@code 1 - cos(f(a(x)), f(x))}, with f the
 * backbone features in inference mode; 0 for the identity, 2 at most. The test images are a subsample
 * ({@code images}, drawn without replacement from {@code Seeds.stream(seed, Seeds.EVAL)}); each probe's
 * randomness for image i comes from {@code Seeds.stream(seed, Seeds.AUGMENT, hash(probe key), i)}, so the
 * numbers are a pure function of the seed, whatever else is probed.
 */
public final class ShiftAnalysis {
    private ShiftAnalysis() {}

    /**
     * One augmentation setting.
     *
     * @param family    e.g. {@code randaugment}, {@code crop}, {@code colour-jitter}
     * @param op        the operation, e.g. {@code ROTATE}
     * @param parameter the setting in words, e.g. {@code M=9 (value 9)}
     * @param strength  a 0-1 position of the setting within its range, for ordering (0 = mildest)
     * @param transform the augmentation, all its randomness from the given stream
     */
    public record Probe(String family, String op, String parameter, double strength, RandomTransform transform) {
        public Probe {
            Objects.requireNonNull(transform);
        }

        /** A key unique among probes: family, op and parameter. */
        public String key() {
            return family + "/" + op + "/" + parameter;
        }
    }

    /**
     * One row of the result.
     *
     * @param shift     mean of {@code 1 - cos} over the images
     * @param shiftStd  population standard deviation of {@code 1 - cos} over the images
     * @param knnTop1   kNN top-1 (%) of the augmented test images against the clean bank
     * @param knnDrop   clean top-1 minus {@code knnTop1}, in points
     */
    public record Row(String family, String op, String parameter, double strength, double shift, double shiftStd,
                      double knnTop1, double knnDrop) {}

    /**
     * @param images    test images scored
     * @param bank      bank (train) images
     * @param cleanTop1 kNN top-1 (%) of the unaugmented test images
     * @param rows      one per probe, largest shift first (ties: probe order)
     */
    public record Result(int images, int bank, double cleanTop1, List<Row> rows) {}

    /** The RandAugment magnitudes probed by default, on the 0-30 scale (DSSL uses 9, its "harder" views 16). */
    public static final List<Integer> DEFAULT_MAGNITUDES = List.of(3, 9, 16, 30);

    /**
     * The standard probes for images of side {@code size}: identity; each of the 16 operations of DSSL's
     * RandAugment at each magnitude (the three without a magnitude once; signed ops with a positive
     * sign; pixel magnitudes absolute, as DSSL); RandomResizedCrop at fixed area scales 0.08, 0.2, 0.5,
     * 0.8; ColorJitter at strength s (SimCLR's parameterisation: brightness, contrast, saturation 0.8 s,
     * hue 0.2 s, always applied) for s = 0.25, 0.5, 1; Gaussian blur sigma 0.5, 1, 2; solarisation at 128;
     * grayscale.
     */
    public static List<Probe> standardProbes(int size, List<Integer> magnitudes) {
        List<Probe> out = new ArrayList<>();
        out.add(new Probe("identity", "IDENTITY", "-", 0, (img, rng) -> img));
        for (RandAugmentOp op : RandAugmentOp.values()) {
            boolean noMagnitude = op == RandAugmentOp.AUTO_CONTRAST || op == RandAugmentOp.EQUALIZE
                    || op == RandAugmentOp.INVERT;
            for (int m : noMagnitude ? List.of(30) : magnitudes) {
                double v = op.magnitude(m);
                String param = noMagnitude ? "-" : String.format(Locale.ROOT, "M=%d (value %s)", m, trim(v));
                out.add(new Probe("randaugment", op.name(), param, m / 30.0, (img, rng) -> {
                    double cx = Double.NaN;
                    double cy = Double.NaN;
                    if (op == RandAugmentOp.CUTOUT_ABS) {
                        cx = rng.nextDouble() * img.width();
                        cy = rng.nextDouble() * img.height();
                    }
                    return new RandAugment.Sampled(op, v, cx, cy).toOp().apply(img);
                }));
            }
        }
        for (double s : new double[] {0.08, 0.2, 0.5, 0.8}) {
            RandomResizedCrop crop = new RandomResizedCrop(size, s, s);
            out.add(new Probe("crop", "RANDOM_RESIZED_CROP", "scale=" + trim(s), 1 - s, crop));
        }
        for (double s : new double[] {0.25, 0.5, 1.0}) {
            ColorJitter cj = new ColorJitter(0.8 * s, 0.8 * s, 0.8 * s, 0.2 * s);
            out.add(new Probe("colour-jitter", "COLOR_JITTER", "strength=" + trim(s), s, cj));
        }
        for (double sigma : new double[] {0.5, 1.0, 2.0}) {
            GaussianBlur blur = new GaussianBlur(sigma);
            out.add(new Probe("blur", "GAUSSIAN_BLUR", "sigma=" + trim(sigma), sigma / 2, (img, rng) -> blur.apply(img)));
        }
        Solarize solarize = new Solarize(128);
        out.add(new Probe("solarize", "SOLARIZE", "threshold=128", 1, (img, rng) -> solarize.apply(img)));
        Grayscale grey = new Grayscale();
        out.add(new Probe("grayscale", "GRAYSCALE", "-", 1, (img, rng) -> grey.apply(img)));
        return out;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }

    /** {@code n} test indices (all when {@code n <= 0} or at least the split's size), sorted, drawn from the seed. */
    public static int[] sample(int size, int n, long seed) {
        if (n <= 0 || n >= size) {
            int[] all = new int[size];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] p = Arrays.copyOf(Seeds.permutation(size, Seeds.stream(seed, Seeds.EVAL)), n);
        Arrays.sort(p);
        return p;
    }

    /**
     * {@code 1 - cos(a, b)} as {@code |a/|a| - b/|b||^2 / 2} in double precision: exactly 0 for identical
     * rows (the identity probe), where {@code 1 - dot} of float unit vectors is off by rounding.
     */
    static double oneMinusCosine(float[] a, float[] b) {
        double na = 0;
        double nb = 0;
        for (int j = 0; j < a.length; j++) {
            na += (double) a[j] * a[j];
            nb += (double) b[j] * b[j];
        }
        na = Math.max(Math.sqrt(na), 1e-12);
        nb = Math.max(Math.sqrt(nb), 1e-12);
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double diff = a[j] / na - b[j] / nb;
            s += diff * diff;
        }
        return s / 2;
    }

    /** {@link #run(NDManager, FeatureEncoder, ImageSet, ImageSet, TestTransform, List, long, Knn, int, int)} on the calling thread. */
    public static Result run(NDManager manager, FeatureEncoder encoder, ImageSet bank, ImageSet test,
                             TestTransform transform, List<Probe> probes, long seed, Knn knn, int batchSize) {
        return run(manager, encoder, bank, test, transform, probes, seed, knn, batchSize, 1);
    }

    /**
     * Runs every probe.
     *
     * <p>The bank and the clean test images are embedded once; a probe's batches that leave every image
     * unchanged (the identity, Solarize at threshold 256, colour ops on grey images, ...) reuse the clean
     * features instead of a forward pass, and a probe that changes no image at all reuses the clean kNN
     * top-1. Batches are the same ({@code batchSize} consecutive images) whatever {@code workers}, so the
     * numbers do not depend on it.
     *
     * <p>With {@code workers > 1}, the bank's batches and then the probes (augmentation, forward passes,
     * kNN) run on that many threads, each with {@code 1/workers} of PyTorch's intra-op threads for the
     * duration (restored afterwards): on the CPU, several single-threaded forward passes keep the cores
     * busier than one two-threaded one, whose OpenMP threads wait for each other on every small operation
     * (badly so on a shared machine). Each worker holds one batch at a time.
     *
     * @param encoder   the frozen encoder
     * @param bank      the labelled train split (memory bank, unaugmented)
     * @param test      the labelled test split, already subsampled
     * @param transform the test transform (geometry before the augmentation; normalisation after)
     * @param workers   threads running batches and probes concurrently, at least 1
     */
    public static Result run(NDManager manager, FeatureEncoder encoder, ImageSet bank, ImageSet test,
                             TestTransform transform, List<Probe> probes, long seed, Knn knn, int batchSize,
                             int workers) {
        if (bank.numClasses() == 0 || test.numClasses() == 0) {
            throw new IllegalArgumentException("the shift analysis needs labelled splits: " + bank.name() + ", "
                    + test.name());
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1: " + workers);
        }
        FeatureExtractor fx = new FeatureExtractor(encoder, batchSize);
        Normalization norm = transform.normalization();
        try (NDManager sub = manager.newSubManager(); Workers pool = new Workers(workers)) {
            FeatureMatrix bankF = embed(sub, fx, pool, bank.size(), batchSize, i -> transform.apply(bank.rgb(i)), norm);
            Image[] clean = new Image[test.size()];
            for (int i = 0; i < clean.length; i++) {
                clean[i] = transform.apply(test.rgb(i));
            }
            FeatureMatrix cleanF = embed(sub, fx, pool, clean.length, batchSize, i -> clean[i], norm);
            double cleanTop1 = knn.evaluate(sub, bankF, bank.labels(), cleanF, test.labels(), bank.numClasses()).top1();
            List<Callable<Row>> tasks = new ArrayList<>();
            for (Probe p : probes) {
                tasks.add(() -> probe(sub, fx, p, clean, cleanF, cleanTop1, bankF, bank, test, norm, seed, knn,
                        batchSize));
            }
            List<Row> rows = pool.all(tasks);
            List<Row> ranked = new ArrayList<>(rows);
            ranked.sort(Comparator.comparingDouble(Row::shift).reversed()); // stable: ties keep probe order
            return new Result(test.size(), bank.size(), cleanTop1, List.copyOf(ranked));
        }
    }

    /** One probe's row: its augmented test images embedded batch by batch, shift and kNN top-1. */
    private static Row probe(NDManager manager, FeatureExtractor fx, Probe p, Image[] clean, FeatureMatrix cleanF,
                             double cleanTop1, FeatureMatrix bankF, ImageSet bank, ImageSet test, Normalization norm,
                             long seed, Knn knn, int batchSize) {
        long key = p.key().hashCode();
        FeatureMatrix aug = new FeatureMatrix(cleanF.dim());
        boolean changedAny = false;
        List<Image> batch = new ArrayList<>(batchSize);
        for (int start = 0; start < clean.length; start += batchSize) {
            int end = Math.min(clean.length, start + batchSize);
            batch.clear();
            boolean changed = false;
            for (int i = start; i < end; i++) {
                Image a = p.transform().apply(clean[i], Seeds.stream(seed, Seeds.AUGMENT, key, i)).toRgb();
                changed |= !a.equals(clean[i]);
                batch.add(a);
            }
            if (changed) {
                aug.append(forward(manager, fx, batch, norm));
                changedAny = true;
            } else {
                // the same images in the same batch as the clean pass: its features, bit for bit
                aug.append(cleanF.rows(start, end));
            }
        }
        double[] d = new double[clean.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = oneMinusCosine(aug.row(i), cleanF.row(i));
        }
        double mean = Arrays.stream(d).average().orElse(0);
        double var = Arrays.stream(d).map(x -> (x - mean) * (x - mean)).average().orElse(0);
        double top1 = changedAny
                ? knn.evaluate(manager, bankF, bank.labels(), aug, test.labels(), bank.numClasses()).top1()
                : cleanTop1;
        return new Row(p.family(), p.op(), p.parameter(), p.strength(), mean, Math.sqrt(var), top1, cleanTop1 - top1);
    }

    /**
     * Features of {@code count} images in batches of {@code batchSize}, in index order; the first batch
     * runs on the calling thread (it also sets up the encoder's parameter store before threads share it),
     * the others on the workers.
     */
    private static FeatureMatrix embed(NDManager manager, FeatureExtractor fx, Workers pool, int count,
                                       int batchSize, IntFunction<Image> image, Normalization norm) {
        if (count == 0) {
            throw new IllegalArgumentException("no images to extract features from");
        }
        List<Callable<float[]>> tasks = new ArrayList<>();
        for (int start = 0; start < count; start += batchSize) {
            int from = start;
            int to = Math.min(count, start + batchSize);
            tasks.add(() -> {
                List<Image> batch = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    batch.add(image.apply(i));
                }
                return forward(manager, fx, batch, norm);
            });
        }
        List<float[]> blocks = new ArrayList<>();
        try {
            blocks.add(tasks.get(0).call());
        } catch (Exception e) {
            throw Workers.unchecked(e);
        }
        blocks.addAll(pool.all(tasks.subList(1, tasks.size())));
        FeatureMatrix out = new FeatureMatrix(blocks.get(0).length / Math.min(count, batchSize));
        blocks.forEach(out::append);
        return out;
    }

    /** L2-normalised features of one batch, on the host; the batch's arrays are closed with its sub-manager. */
    private static float[] forward(NDManager manager, FeatureExtractor fx, List<Image> batch, Normalization norm) {
        try (NDManager b = manager.newSubManager()) {
            return fx.encodeBatch(b, batch, norm, true).toFloatArray();
        }
    }

    /**
     * The threads of {@link #run}: none for one worker (tasks run on the caller, in order); otherwise a
     * fixed pool of daemon threads, each with autograd off (PyTorch's grad mode is per thread) and PyTorch's
     * intra-op threads divided among them while the pool is open.
     */
    private static final class Workers implements AutoCloseable {
        private static final AtomicInteger IDS = new AtomicInteger();
        private final ExecutorService pool;
        private final int torchThreadsBefore;

        Workers(int n) {
            if (n == 1) {
                pool = null;
                torchThreadsBefore = 0;
                return;
            }
            torchThreadsBefore = TorchThreads.current();
            // the new threads take the global count on their first parallel operation
            TorchThreads.apply(Math.max(1, torchThreadsBefore / n), "workers");
            int id = IDS.incrementAndGet();
            AtomicInteger k = new AtomicInteger();
            pool = Executors.newFixedThreadPool(n, r -> {
                Thread t = new Thread(() -> {
                    TorchThreads.inferenceOnly();
                    r.run();
                }, "shift-" + id + "-" + k.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }

        /** Runs {@code tasks}, results in task order; the first failure is rethrown. */
        <T> List<T> all(List<Callable<T>> tasks) {
            List<T> out = new ArrayList<>(tasks.size());
            try {
                if (pool == null) {
                    for (Callable<T> t : tasks) {
                        out.add(t.call());
                    }
                    return out;
                }
                List<Future<T>> futures = new ArrayList<>();
                for (Callable<T> t : tasks) {
                    futures.add(pool.submit(t));
                }
                try {
                    for (Future<T> f : futures) {
                        out.add(f.get());
                    }
                } finally {
                    futures.forEach(f -> f.cancel(true));
                }
                return out;
            } catch (ExecutionException e) {
                throw unchecked(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (Exception e) {
                throw unchecked(e);
            }
        }

        static RuntimeException unchecked(Throwable e) {
            if (e instanceof RuntimeException r) {
                return r;
            }
            if (e instanceof Error err) {
                throw err;
            }
            return new IllegalStateException(e);
        }

        @Override
        public void close() {
            if (pool == null) {
                return;
            }
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TorchThreads.apply(torchThreadsBefore, "workers");
        }
    }
}
