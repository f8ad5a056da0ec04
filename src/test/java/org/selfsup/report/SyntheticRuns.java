package org.selfsup.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes run directories with synthetic metrics in the contract schema. */
final class SyntheticRuns {
    private SyntheticRuns() {}

    static Path write(Path parent, String name, double knnGain) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name));
        StringBuilder b = new StringBuilder();
        int stepsPerEpoch = 10;
        for (int e = 0; e < 5; e++) {
            for (int i = 1; i <= stepsPerEpoch; i++) {
                int k = e * stepsPerEpoch + i;
                double loss = 2.0 * Math.exp(-k / 20.0);
                b.append(String.format(Locale.ROOT,
                        "{\"type\":\"step\",\"step\":%d,\"epoch\":%d,\"lr\":%.5f,\"tau\":%.5f,\"beta\":%.4f,"
                                + "\"loss\":%.5f,\"loss_ww\":%.5f,\"loss_aw\":%.5f,\"shift_a1\":%.4f,"
                                + "\"shift_a2\":%.4f,\"proj_std\":%.4f,\"img_per_s\":%.1f,\"wait_ms\":1.0}%n",
                        k, e, 0.1 * Math.cos(Math.PI * k / 100), 0.99 + 0.01 * k / 50.0, 0.4 * (1 - k / 50.0),
                        loss, loss * 0.6, loss * 0.4, 0.3 + 0.01 * k, 0.25 + 0.01 * k, 0.08, 100.0 + k));
            }
            b.append(String.format(Locale.ROOT, "{\"type\":\"epoch\",\"epoch\":%d,\"step\":%d,\"seconds\":12.5,"
                    + "\"img_per_s\":110.0}%n", e, (e + 1) * stepsPerEpoch));
            b.append(String.format(Locale.ROOT, "{\"type\":\"eval\",\"epoch\":%d,\"step\":%d,\"knn_top1\":%.2f}%n",
                    e, (e + 1) * stepsPerEpoch, 60 + knnGain * e));
        }
        b.append(String.format(Locale.ROOT, "{\"type\":\"summary\",\"knn_top1\":%.2f,\"knn_top1_random\":55.25,"
                + "\"seconds\":62.5}%n", 60 + knnGain * 4));
        Files.writeString(dir.resolve("metrics.jsonl"), b.toString());
        Files.writeString(dir.resolve("config.yaml"), "name: " + name + "\nmethod: rsa\ndataset: fashion-mnist\n"
                + "epochs: 5\nbatch-size: 64\n");
        return dir;
    }
}
