package org.selfsup.augment;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.selfsup.data.Image;
import org.selfsup.data.ImageSet;
import org.selfsup.util.Seeds;

/**
 * A picture of a view plan at work: one row per source image, the source in the first column and its
 * views (as epoch 0 of a run with the given seed would make them) beside it, all upscaled with
 * nearest-neighbour for visibility, under a header row naming the columns ({@code a1 < w1} marks a view
 * derived from another).
 */
public final class PreviewGrid {
    private static final int GAP = 4;
    private static final int HEADER = 18;
    private static final Color BACKGROUND = new Color(40, 40, 40);

    private PreviewGrid() {}

    /** {@code count} indices spread evenly over a store of {@code n} images. */
    public static int[] spread(int n, int count) {
        int k = Math.min(n, count);
        int[] idx = new int[k];
        for (int i = 0; i < k; i++) {
            idx[i] = (int) ((long) i * n / k);
        }
        return idx;
    }

    /** Renders the grid for the images at {@code indices}. */
    public static BufferedImage render(ImageSet store, ViewPlan plan, int[] indices, long seed, int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be >= 1: " + scale);
        }
        List<String> names = plan.viewNames();
        int side = plan.size();
        for (int i : indices) {
            Image src = store.rgb(i);
            side = Math.max(side, store.fullResolution() ? 0 : Math.max(src.height(), src.width()));
        }
        int cell = side * scale;
        int cols = names.size() + 1;
        int width = GAP + cols * (cell + GAP);
        int height = HEADER + GAP + indices.length * (cell + GAP);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, width, height);
        List<String> headers = new ArrayList<>();
        headers.add("source #");
        for (String v : names) {
            headers.add(plan.sourceOf(v).map(src -> v + " < " + src).orElse(v));
        }
        drawHeaders(g, headers, cell);
        for (int r = 0; r < indices.length; r++) {
            int i = indices[r];
            Image src = store.rgb(i);
            List<Image> views = plan.views(src, Seeds.stream(seed, Seeds.AUGMENT, 0, i));
            int y = HEADER + GAP + r * (cell + GAP);
            blit(out, fit(src, side), GAP, y, scale);
            for (int c = 0; c < views.size(); c++) {
                blit(out, views.get(c), GAP + (c + 1) * (cell + GAP), y, scale);
            }
        }
        g.dispose();
        return out;
    }

    /** {@code img} shrunk (aspect kept) so that its longer side is at most {@code side}: full-resolution sources. */
    private static Image fit(Image img, int side) {
        int longer = Math.max(img.height(), img.width());
        if (longer <= side) {
            return img;
        }
        int h = Math.max(1, (int) ((long) img.height() * side / longer));
        int w = Math.max(1, (int) ((long) img.width() * side / longer));
        return new org.selfsup.augment.ops.ResizedCrop(0, 0, img.height(), img.width(), h, w).apply(img);
    }

    /** Writes {@code img} as PNG to {@code file} atomically (temporary file in the same folder, then rename). */
    public static void writePng(BufferedImage img, Path file) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
            try {
                if (!ImageIO.write(img, "png", tmp.toFile())) {
                    throw new IOException("no PNG writer available");
                }
                try {
                    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + org.selfsup.util.IoMessages.reason(e), e);
        }
    }

    private static void drawHeaders(Graphics2D g, List<String> headers, int cell) {
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(Color.WHITE);
            for (int c = 0; c < headers.size(); c++) {
                g.drawString(headers.get(c), GAP + c * (cell + GAP) + 2, HEADER - 4);
            }
        } catch (RuntimeException | Error e) {
            // fonts can be missing on minimal headless systems: the grid is still useful without a header
        }
    }

    private static void blit(BufferedImage out, Image img, int x0, int y0, int scale) {
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int rgb = (img.get(y, x, 0) << 16) | (img.get(y, x, 1) << 8) | img.get(y, x, 2);
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        out.setRGB(x0 + x * scale + dx, y0 + y * scale + dy, rgb);
                    }
                }
            }
        }
    }
}
