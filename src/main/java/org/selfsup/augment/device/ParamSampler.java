package org.selfsup.augment.device;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.selfsup.util.Seeds;

/**
 * Samples a batch's {@link BatchParams} on the host, with torchvision's sampling rules, from
 * {@code Seeds.stream(seed, Seeds.AUGMENT, epoch, index)} for each image, so a sample's views depend
 * only on (seed, epoch, index).
 *
 * <p>Per image, views are sampled in plan order; per view, in pipeline order: crop, flip, ColorJitter
 * (apply? then the order as a random permutation, then brightness, contrast, saturation factors and hue
 * shift, as {@code ColorJitter.get_params} draws them), grayscale, blur (apply? then sigma), solarize.
 * The draws are not the same as the CPU path's, so the two paths agree in distribution, not per image.
 */
public final class ParamSampler {
    private final DevicePlan plan;
    private final List<CropSampler> crops;

    /** A sampler with torchvision's RandomResizedCrop rule for every view that crops. */
    public ParamSampler(DevicePlan plan) {
        this.plan = plan;
        this.crops = new ArrayList<>();
        for (DeviceViewRecipe v : plan.views()) {
            crops.add(v.fromSource() ? CropSampler.torchvision(v.scaleMin(), v.scaleMax()) : null);
        }
    }

    /** Samples the parameters of the images {@code indices} (in batch order) in {@code epoch}. */
    public BatchParams sample(int srcHeight, int srcWidth, long seed, int epoch, int[] indices) {
        int n = indices.length;
        List<DeviceViewRecipe> recipes = plan.views();
        List<ViewParams> out = new ArrayList<>();
        for (DeviceViewRecipe r : recipes) {
            out.add(new ViewParams(n, r.fromSource()));
        }
        for (int i = 0; i < n; i++) {
            SplittableRandom rng = Seeds.stream(seed, Seeds.AUGMENT, epoch, indices[i]);
            for (int v = 0; v < recipes.size(); v++) {
                sampleView(recipes.get(v), crops.get(v), out.get(v), i, srcHeight, srcWidth, rng);
            }
        }
        return new BatchParams(srcHeight, srcWidth, out);
    }

    private static void sampleView(DeviceViewRecipe r, CropSampler crop, ViewParams p, int i, int h, int w,
                                   SplittableRandom rng) {
        if (r.fromSource()) {
            int[] c = crop.sample(h, w, rng);
            p.top[i] = c[0];
            p.left[i] = c[1];
            p.cropHeight[i] = c[2];
            p.cropWidth[i] = c[3];
            p.flip[i] = rng.nextDouble() < r.flipP();
        }
        if (r.jitterP() > 0 && rng.nextDouble() < r.jitterP()) {
            p.jitter[i] = true;
            int[] order = p.order[i];
            for (int k = 0; k < 4; k++) {
                order[k] = k;
            }
            for (int k = 3; k > 0; k--) { // Fisher-Yates: a uniform permutation like torch.randperm
                int j = rng.nextInt(k + 1);
                int t = order[k];
                order[k] = order[j];
                order[j] = t;
            }
            p.factors[i][0] = factor(r.brightness(), rng);
            p.factors[i][1] = factor(r.contrast(), rng);
            p.factors[i][2] = factor(r.saturation(), rng);
            p.factors[i][3] = r.hue() > 0 ? -r.hue() + 2 * r.hue() * rng.nextDouble() : 0;
        } else {
            p.factors[i] = new double[] {1, 1, 1, 0};
            p.order[i] = new int[] {0, 1, 2, 3};
        }
        p.gray[i] = r.grayP() > 0 && rng.nextDouble() < r.grayP();
        if (r.blurP() > 0 && rng.nextDouble() < r.blurP()) {
            p.blurSigma[i] = r.sigmaMin() + (r.sigmaMax() - r.sigmaMin()) * rng.nextDouble();
        }
        p.solarize[i] = r.solarizeP() > 0 && rng.nextDouble() < r.solarizeP();
    }

    private static double factor(double strength, SplittableRandom rng) {
        if (strength <= 0) {
            return 1;
        }
        double lo = Math.max(0, 1 - strength);
        return lo + (1 + strength - lo) * rng.nextDouble();
    }
}
