package org.selfsup.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.selfsup.augment.ImageOp;
import org.selfsup.augment.ops.AutoContrast;
import org.selfsup.augment.ops.Brightness;
import org.selfsup.augment.ops.Contrast;
import org.selfsup.augment.ops.Equalize;
import org.selfsup.augment.ops.GaussianBlur;
import org.selfsup.augment.ops.Grayscale;
import org.selfsup.augment.ops.HorizontalFlip;
import org.selfsup.augment.ops.Hue;
import org.selfsup.augment.ops.ResizedCrop;
import org.selfsup.augment.ops.Rotate;
import org.selfsup.augment.ops.Saturation;
import org.selfsup.augment.ops.Sharpness;
import org.selfsup.augment.ops.ShearX;
import org.selfsup.data.Image;

/**
 * A quick single-thread timing of each op on a 32x32 RGB image (and one 224x224 crop), in CPU
 * microseconds per call, so that timings stay meaningful on a shared machine. Not a test; run with
 * {@code java -cp target/classes:target/test-classes org.selfsup.bench.OpsMicroBenchmark}.
 */
public final class OpsMicroBenchmark {
    private OpsMicroBenchmark() {
    }

    public static void main(String[] args) {
        Image small = random(32, 32, 1);
        Image large = random(256, 256, 2);
        Map<String, ImageOp> ops = new LinkedHashMap<>();
        ops.put("resized_crop 20x17->32", new ResizedCrop(3, 5, 20, 17, 32));
        ops.put("resized_crop 32x30->28", new ResizedCrop(0, 0, 32, 30, 28));
        ops.put("hflip", new HorizontalFlip());
        ops.put("brightness", new Brightness(0.7));
        ops.put("contrast", new Contrast(1.3));
        ops.put("saturation", new Saturation(1.3));
        ops.put("hue", new Hue(0.07));
        ops.put("grayscale", new Grayscale());
        ops.put("gaussian_blur 1.4", new GaussianBlur(1.4));
        ops.put("sharpness", new Sharpness(0.6));
        ops.put("rotate", new Rotate(13));
        ops.put("shear_x", new ShearX(0.2));
        ops.put("equalize", new Equalize());
        ops.put("autocontrast", new AutoContrast());
        ImageOp big = new ResizedCrop(10, 20, 200, 180, 224);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int rep = 0; rep < 3; rep++) {
            boolean report = rep == 2;
            for (Map.Entry<String, ImageOp> e : ops.entrySet()) {
                time(mx, e.getKey(), e.getValue(), small, 20_000, report);
            }
            time(mx, "resized_crop 200x180->224", big, large, 300, report);
        }
    }

    private static void time(ThreadMXBean mx, String name, ImageOp op, Image in, int n, boolean report) {
        long sink = 0;
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            sink += op.apply(in).data()[5];
        }
        long t1 = mx.getCurrentThreadCpuTime();
        if (report) {
            System.out.printf("%-28s %9.2f us%s%n", name, (t1 - t0) / 1e3 / n, sink == 42 ? " " : "");
        }
    }

    private static Image random(int h, int w, long seed) {
        byte[] data = new byte[h * w * 3];
        new Random(seed).nextBytes(data);
        return new Image(h, w, 3, data);
    }
}
