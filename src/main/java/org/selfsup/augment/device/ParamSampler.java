package org.selfsup.augment.device;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.selfsup.augment.random.ColorJitter;
import org.selfsup.augment.random.CropBox;
import org.selfsup.augment.random.RandomGaussianBlur;
import org.selfsup.augment.random.RandomResizedCrop;
import org.selfsup.util.Seeds;

/**
 * Samples a batch's {@link BatchParams} on the host from {@code Seeds.stream(seed, Seeds.AUGMENT, epoch,
 * index)} for each image, so a sample's views depend only on (seed, epoch, index).
 *
 * <p>It reuses the CPU path's samplers ({@link RandomResizedCrop#sampleBox}, {@link ColorJitter#sample},
 * {@link RandomGaussianBlur#sampleSigma}), so the rules (torchvision's 10 tries and fallback, factor
 * ranges, random sub-op order) are the same code. Per image, each view gets its own sub-stream split off
 * the image's stream in plan order (as {@link org.selfsup.augment.plans.ComposedPlan} does), and draws
 * in pipeline order: crop, flip, ColorJitter (apply? then order and factors), grayscale, blur (apply?
 * then sigma), solarize (device only). For the byol, simsiam, rsa and rsa-aw plans this is the CPU
 * plans' draw sequence, so both paths currently see the same parameters for an image; the equivalence
 * test checks it, but only agreement in distribution is promised.
 */
public final class ParamSampler {
    private final DevicePlan plan;
    private final List<RandomResizedCrop> crops = new ArrayList<>();
    private final List<ColorJitter> jitters = new ArrayList<>();
    private final List<RandomGaussianBlur> blurs = new ArrayList<>();

    public ParamSampler(DevicePlan plan) {
        this.plan = plan;
        for (DeviceViewRecipe v : plan.views()) {
            crops.add(v.fromSource() ? new RandomResizedCrop(plan.size(), v.scaleMin(), v.scaleMax()) : null);
            jitters.add(v.jitterP() > 0 ? new ColorJitter(v.brightness(), v.contrast(), v.saturation(), v.hue()) : null);
            blurs.add(v.blurP() > 0 ? new RandomGaussianBlur(v.sigmaMin(), v.sigmaMax()) : null);
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
                // One sub-stream per view, split off like ComposedPlan.views does.
                SplittableRandom viewRng = new SplittableRandom(rng.nextLong());
                sampleView(v, out.get(v), i, srcHeight, srcWidth, viewRng);
            }
        }
        return new BatchParams(srcHeight, srcWidth, out);
    }

    private void sampleView(int v, ViewParams p, int i, int h, int w, SplittableRandom rng) {
        DeviceViewRecipe r = plan.views().get(v);
        if (r.fromSource()) {
            CropBox c = crops.get(v).sampleBox(h, w, rng);
            p.top[i] = c.top();
            p.left[i] = c.left();
            p.cropHeight[i] = c.height();
            p.cropWidth[i] = c.width();
            p.flip[i] = r.flipP() > 0 && rng.nextDouble() < r.flipP();
        }
        p.factors[i] = new double[] {1, 1, 1, 0};
        p.order[i] = new int[] {0, 1, 2, 3};
        if (jitters.get(v) != null && rng.nextDouble() < r.jitterP()) {
            ColorJitter.Params cj = jitters.get(v).sample(rng);
            p.jitter[i] = true;
            p.order[i] = cj.order().clone();
            for (int k = 0; k < 4; k++) {
                double f = cj.factor(k);
                if (!Double.isNaN(f)) { // NaN: sub-op disabled, keep the identity factor
                    p.factors[i][k] = f;
                }
            }
        }
        p.gray[i] = r.grayP() > 0 && rng.nextDouble() < r.grayP();
        if (blurs.get(v) != null && rng.nextDouble() < r.blurP()) {
            p.blurSigma[i] = blurs.get(v).sampleSigma(rng);
        }
        p.solarize[i] = r.solarizeP() > 0 && rng.nextDouble() < r.solarizeP();
    }
}
