package org.selfsup.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.cli.CliRun;

/**
 * Every {@code ./selfsup} command of README.md (the lines of its {@code sh} blocks and the commands quoted
 * inline, e.g. in the results table) is classified below and, unless it needs data, weights, a GPU or
 * several machines that a test does not have, run in README order (issue 22 item 19: two README commands
 * exited 2). A command added to or changed in the README fails this test until it is classified here, and
 * an entry whose command left the README fails it too, so the list cannot drift.
 *
 * <p>How each kind is exercised:
 * <ul>
 *   <li>{@code TINY}: a {@code train} command is run twice: as written plus {@code --print-config} (the
 *       whole configuration resolved and validated, where the README commands broke), then for real at a
 *       tiny size: its own flags, with the data set, model and length replaced by 32 Fashion-MNIST images,
 *       a small ResNet of width 8, 16 px views, batch 8 and one epoch, in a temporary runs folder;</li>
 *   <li>{@code CONFIG}: a {@code train} command whose data, weights or GPU are external: {@code --print-config}
 *       only;</li>
 *   <li>{@code AS_IS}: run as written (outputs and {@code runs/} redirected into a temporary folder,
 *       {@code photos/} is a folder of two generated pictures, {@code runs/demo} is the tiny run of
 *       {@code ./selfsup train}, {@code runs/byol-demo} a copy of it);</li>
 *   <li>{@code SHORT}: run as written with the given flags replaced or added to make it short (a benchmark's
 *       length);</li>
 *   <li>{@code SKIP}: not run, with the reason.</li>
 * </ul>
 */
class ReadmeCommandsTest {
    @TempDir
    Path tmp;

    private enum Kind { TINY, CONFIG, AS_IS, SHORT, SKIP }

    private record How(Kind kind, List<String> extra, String why) {}

    private static final Map<String, How> COMMANDS = new LinkedHashMap<>();

    private static void tiny(String cmd) {
        COMMANDS.put(cmd, new How(Kind.TINY, List.of(), ""));
    }

    private static void config(String cmd, String why) {
        COMMANDS.put(cmd, new How(Kind.CONFIG, List.of(), why));
    }

    private static void asIs(String cmd) {
        COMMANDS.put(cmd, new How(Kind.AS_IS, List.of(), ""));
    }

    private static void shortened(String cmd, String... extra) {
        COMMANDS.put(cmd, new How(Kind.SHORT, List.of(extra), ""));
    }

    private static void skip(String cmd, String why) {
        COMMANDS.put(cmd, new How(Kind.SKIP, List.of(), why));
    }

    static {
        tiny("./selfsup train");
        tiny("./selfsup train --epochs 15 --method simsiam --plan simsiam --probe fast --name fm-simsiam");
        tiny("./selfsup train --epochs 15 --method heavy-symmetric --plan dssl-cifar --probe fast --name fm-heavy");
        tiny("./selfsup train --epochs 15 --method dssl-simsiam --plan dssl-cifar --probe fast --name fm-dssl");
        tiny("./selfsup train --epochs 1 --knn-every 1 --crop-scale-min 0.5 --name rsa-c05-e1");
        config("./selfsup train --dataset fashion-mnist --data-dir /usr/share/datasets/fashion-mnist --arch resnet18-cifar "
                + "--batch-size 256 --epochs 12 --name fm-r18", "the full Fashion-MNIST files");
        asIs("./selfsup train --list-presets");
        config("./selfsup train --preset rsa-cifar10 --data-dir ~/data/cifar-10-batches-bin", "CIFAR-10");
        config("./selfsup train --dataset fashion-mnist --data-dir /usr/share/datasets/fashion-mnist",
                "the full Fashion-MNIST files");
        tiny("./selfsup train --method dssl-simsiam --epochs 30 --name dssl-fm");
        tiny("./selfsup train --config my-run.yaml --batch-size 64");
        asIs("./selfsup train --preset rsa-cifar100 --print-config > rsa.yaml");
        asIs("./selfsup eval knn --checkpoint runs/demo --random-init");
        asIs("./selfsup eval linear --checkpoint runs/demo --protocol fast --val-fraction 0.1");
        skip("./selfsup eval linear --checkpoint runs/rsa-cifar10 --protocol cifar", "a CIFAR-10 run");
        skip("./selfsup eval linear --checkpoint runs/rsa-imagenet1k --protocol msf", "an ImageNet run");
        skip("./selfsup eval linear --checkpoint runs/dssl-simsiam-cifar10 --protocol dssl-cifar", "a CIFAR-10 run");
        skip("./selfsup eval linear --checkpoint runs/dssl-simsiam-imagenet --protocol dssl-imagenet", "an ImageNet run");
        config("./selfsup train --preset dssl-simsiam-cifar10 --data-dir ~/data/cifar-10-batches-bin --probe dssl-cifar",
                "CIFAR-10");
        asIs("./selfsup report render runs/demo");
        asIs("./selfsup report compare runs/demo runs/byol-demo --out cmp");
        asIs("./selfsup augment check --golden src/test/resources/golden");
        asIs("./selfsup augment preview --plan rsa --out rsa.png");
        asIs("./selfsup augment preview --plan dssl-cifar --dataset synthetic --out dssl.png");
        asIs("./selfsup data info");
        skip("./selfsup data info --dataset cifar10 --data-dir ~/data/cifar-10-batches-bin", "CIFAR-10");
        skip("./selfsup data info --dataset stl10 --data-dir ~/data --download", "a download of STL-10");
        skip("./selfsup data info --dataset imagefolder --data-dir ~/data/imagenet", "ImageNet");
        config("./selfsup train --dataset imagefolder --data-dir ~/photos --labels none", "the user's photos");
        config("./selfsup train --dataset listfile --data-dir ~/data/imagenet100 --on-bad-image fail", "ImageNet-100");
        asIs("./selfsup export --checkpoint runs/demo --out demo-encoder");
        skip("./selfsup export --checkpoint runs/rsa-cifar10 --format safetensors --out r18.safetensors", "a CIFAR-10 run");
        asIs("./selfsup embed --checkpoint runs/demo --images photos/ --out embeddings.csv");
        skip("./selfsup import --from moco_v2_800ep.pth.tar --arch resnet50 --key-prefix module.encoder_q. "
                + "--out moco.safetensors", "MoCo's published weights");
        skip("./selfsup eval knn --weights moco.safetensors --dataset cifar10 --data-dir data/cifar10",
                "MoCo's weights and CIFAR-10");
        skip("./selfsup eval linear --weights r18.safetensors --protocol fast", "a CIFAR-10 run's export");
        skip("./selfsup embed --weights resnet50-torchvision.pth --arch resnet50 --images photos/ --out emb.csv",
                "torchvision's published weights");
        config("./selfsup train --preset rsa-cifar10 --name ft --init-from r18.safetensors --init-strict false",
                "a CIFAR-10 run's export and CIFAR-10");
        skip("./selfsup analyze shift --checkpoint runs/demo --out runs/demo/shift",
                "minutes on the embedded data; AnalyzeShiftCommandTest runs it on a tiny checkpoint");
        config("./selfsup train --preset vicreg-cifar10 --heavy dssl", "CIFAR-10");
        tiny("./selfsup train --method vicreg --heavy dssl --epochs 5 --name vicreg-dssl");
        skip("./selfsup import --from dino_deitsmall16_pretrain.pth --arch vit-small --out dino-s16.safetensors",
                "DINO's published weights");
        skip("./selfsup import --from dino_vitbase8_pretrain.pth --arch vit-base --out dino-b8.safetensors",
                "DINO's published weights");
        skip("./selfsup import --from vit-s-300ep.pth.tar --arch vit --attention-heads 12 --key-prefix "
                + "module.base_encoder. --out mocov3-s.safetensors", "MoCo v3's published weights");
        skip("./selfsup import --from mae_pretrain_vit_base.pth --arch vit-base --out mae-b16.safetensors",
                "MAE's published weights");
        skip("./selfsup eval knn --weights dino-s16.safetensors --dataset cifar10 --data-dir data/cifar10",
                "DINO's weights and CIFAR-10");
        config("./selfsup train --preset rsa-cifar10-vit-t4 --name ft --init-from vit.safetensors --init-strict false",
                "a ViT export and CIFAR-10");
        asIs("./selfsup");
        asIs("./selfsup doctor");
        config("./selfsup train --preset rsa-cifar10 --data-dir ~/data/cifar-10-batches-bin --device gpu --precision bf16 "
                + "--channels-last", "a GPU and CIFAR-10");
        skip("./selfsup bench step --method rsa --arch resnet18-cifar --batch 512 --size 32 --device gpu --precision fp32",
                "a GPU");
        skip("./selfsup bench step --method rsa --arch resnet18-cifar --batch 512 --size 32 --device gpu --precision bf16 "
                + "--channels-last", "a GPU");
        skip("./selfsup bench epoch --preset rsa-cifar10 --data-dir ~/data/cifar-10-batches-bin --augment-on device "
                + "--max-steps 200 --precision bf16 --channels-last", "a GPU and CIFAR-10");
        skip("./selfsup launch --nproc-per-node 2 -- train --preset demo --name demo-2",
                "two ranks under mpirun: DataParallelRunTest and LaunchIsolationTest start them; the rank's command "
                        + "is the demo, run here as ./selfsup train");
        skip("./selfsup launch --nproc-per-node 8 -- train --preset rsa-imagenet100 --data-dir /data/imagenet100",
                "8 GPUs and ImageNet-100");
        skip("./selfsup launch --nproc-per-node 8 --nnodes 2 --node-rank 0 --master-addr node0 --master-port 29500 "
                + "-- train ...", "two machines with 8 GPUs");
        skip("./selfsup launch --nproc-per-node 8 --nnodes 2 --node-rank 1 --master-addr node0 --master-port 29500 "
                + "-- train ...", "two machines with 8 GPUs");
        asIs("./selfsup --version");
        skip("./selfsup launch --nproc-per-node 2 -- bench step --device gpu --batch 64", "two GPUs");
        shortened("./selfsup bench aug --plan rsa --threads 2", "--seconds", "1", "--warmup", "0", "--images", "64",
                "--batch", "16");
        shortened("./selfsup bench step --method rsa --arch resnet18-cifar --batch 16 --size 32", "--steps", "1",
                "--warmup", "1");
        shortened("./selfsup bench epoch --preset demo --max-steps 40", "--max-steps", "2");
    }

    /** The {@code ./selfsup} commands of README.md, in order, without comments. */
    static List<String> readmeCommands() throws Exception {
        List<String> cmds = new ArrayList<>();
        boolean sh = false;
        boolean block = false;
        Pattern inline = Pattern.compile("`(\\./selfsup[^`]*)`");
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.startsWith("```")) {
                sh = !block && line.substring(3).strip().equals("sh");
                block = !block;
                continue;
            }
            if (block) {
                if (sh && line.startsWith("./selfsup")) {
                    cmds.add(line.replaceFirst("\\s+#.*$", "").strip());
                }
            } else {
                Matcher m = inline.matcher(line);
                while (m.find()) {
                    cmds.add(m.group(1).strip());
                }
            }
        }
        return cmds;
    }

    @Test
    void everyReadmeCommandIsClassifiedAndTheRunnableOnesSucceed() throws Exception {
        Set<String> inReadme = new LinkedHashSet<>(readmeCommands());
        List<String> unclassified = inReadme.stream().filter(c -> !COMMANDS.containsKey(c)).toList();
        List<String> gone = COMMANDS.keySet().stream().filter(c -> !inReadme.contains(c)).toList();
        assertEquals(List.of(), unclassified, "README commands this test does not know: classify them");
        assertEquals(List.of(), gone, "commands no longer in the README: remove them here");

        Path data = ChildRuns.writeData(tmp.resolve("tiny-data"));
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        for (int i = 0; i < 2; i++) {
            BufferedImage img = new BufferedImage(40 + i, 30, BufferedImage.TYPE_INT_RGB);
            img.setRGB(5, 5, 0x336699 * (i + 1));
            ImageIO.write(img, "png", photos.resolve("p" + i + ".png").toFile());
        }
        CliRun base = CliRun.execute("train", "--print-config");
        assertEquals(0, base.code(), base.err());
        Files.writeString(tmp.resolve("my-run.yaml"), base.out());

        List<String> failures = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        for (String cmd : inReadme) {
            How how = COMMANDS.get(cmd);
            List<String> args = substitute(cmd, photos);
            long t0 = System.nanoTime();
            switch (how.kind()) {
                case SKIP -> {
                    report.append(String.format("SKIP   %s (needs %s)%n", cmd, how.why()));
                    continue;
                }
                case CONFIG -> check(failures, cmd, "--print-config", with(args, List.of("--print-config")));
                case AS_IS -> check(failures, cmd, "as written", args);
                case SHORT -> check(failures, cmd, "shortened " + how.extra(), with(args, how.extra()));
                case TINY -> {
                    check(failures, cmd, "--print-config", with(args, List.of("--print-config")));
                    check(failures, cmd, "tiny run", with(args, List.of("--runs-dir", tmp.resolve("runs").toString(),
                            "--dataset", "mnist", "--data-dir", data.toString(), "--arch", "small", "--width", "8",
                            "--blocks", "1,1,1,1", "--image-size", "16", "--epochs", "1", "--batch-size", "8",
                            "--knn-k", "5", "--threads", "1", "--prefetch", "1", "--device", "cpu")));
                    if (cmd.equals("./selfsup train")) {
                        copy(tmp.resolve("runs/demo"), tmp.resolve("runs/byol-demo"));
                    }
                }
                default -> throw new IllegalStateException();
            }
            report.append(String.format("%-6s %s (%s, %.1f s)%n", how.kind(), cmd,
                    how.kind() == Kind.CONFIG ? "data external: " + how.why() : "ran", (System.nanoTime() - t0) / 1e9));
        }
        System.out.print(report);
        assertEquals(List.of(), failures, report.toString());
    }

    /** Runs {@code args}; a failure (exit code not 0) is recorded with its output. */
    private static void check(List<String> failures, String cmd, String how, List<String> args) {
        CliRun r = CliRun.execute(args.toArray(String[]::new));
        if (r.code() != 0) {
            failures.add(cmd + " [" + how + ": " + String.join(" ", args) + "] exit " + r.code() + ": " + r.err().strip());
        }
    }

    /** The arguments of {@code cmd} with the README's relative paths moved into the temporary folder. */
    private List<String> substitute(String cmd, Path photos) {
        String c = cmd.replaceFirst("^\\./selfsup\\s*", "").replaceFirst("\\s*>\\s*\\S+$", ""); // > rsa.yaml: stdout
        List<String> args = new ArrayList<>(c.isEmpty() ? List.of() : Arrays.asList(c.split("\\s+")));
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String prev = i > 0 ? args.get(i - 1) : "";
            if (a.startsWith("runs/")) {
                args.set(i, tmp.resolve(a).toString());
            } else if (a.equals("photos/")) {
                args.set(i, photos.toString());
            } else if (prev.equals("--out") || prev.equals("--config")) {
                args.set(i, tmp.resolve(a).toString());
            }
        }
        return args;
    }

    /** {@code args} with each flag of {@code extra} (flag, value pairs or a lone flag) replaced or added. */
    static List<String> with(List<String> args, List<String> extra) {
        List<String> out = new ArrayList<>(args);
        for (int i = 0; i < extra.size(); i++) {
            String flag = extra.get(i);
            boolean hasValue = i + 1 < extra.size() && !extra.get(i + 1).startsWith("--");
            String value = hasValue ? extra.get(++i) : null;
            int at = out.indexOf(flag);
            if (at >= 0 && value != null) {
                out.set(at + 1, value);
            } else if (at < 0) {
                out.add(flag);
                if (value != null) {
                    out.add(value);
                }
            }
        }
        return out;
    }

    private static void copy(Path from, Path to) throws Exception {
        assertTrue(Files.isDirectory(from), from + " (the tiny demo run)");
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (!p.getFileName().toString().equals(".lock")) {
                    Files.copy(p, t);
                }
            }
        }
    }
}
