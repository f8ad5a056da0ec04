package org.selfsup.augment.golden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.selfsup.augment.ImageOp;
import org.selfsup.augment.ops.AutoContrast;
import org.selfsup.augment.ops.Brightness;
import org.selfsup.augment.ops.Contrast;
import org.selfsup.augment.ops.Cutout;
import org.selfsup.augment.ops.Equalize;
import org.selfsup.augment.ops.GaussianBlur;
import org.selfsup.augment.ops.Grayscale;
import org.selfsup.augment.ops.GridShuffle;
import org.selfsup.augment.ops.HorizontalFlip;
import org.selfsup.augment.ops.Hue;
import org.selfsup.augment.ops.Invert;
import org.selfsup.augment.ops.Posterize;
import org.selfsup.augment.ops.CenterCrop;
import org.selfsup.augment.ops.Resampling;
import org.selfsup.augment.ops.Resize;
import org.selfsup.augment.ops.ResizedCrop;
import org.selfsup.augment.ops.Rotate;
import org.selfsup.augment.ops.Saturation;
import org.selfsup.augment.ops.Sharpness;
import org.selfsup.augment.ops.ShearX;
import org.selfsup.augment.ops.ShearY;
import org.selfsup.augment.ops.Solarize;
import org.selfsup.augment.ops.SolarizeAdd;
import org.selfsup.augment.ops.TranslateX;
import org.selfsup.augment.ops.TranslateY;
import org.selfsup.util.UserException;

/** Maps a golden case's {@code op} name and {@code params} to the corresponding {@link ImageOp}. */
public final class GoldenOps {
    /** Every op name of the golden format, in the README's order. */
    public static final List<String> NAMES = List.of("resized_crop", "hflip", "brightness", "contrast", "saturation",
            "hue", "grayscale", "gaussian_blur_pil", "autocontrast", "equalize", "invert", "rotate", "posterize",
            "solarize", "solarize_add", "color", "enhance_contrast", "enhance_brightness", "sharpness", "shear_x",
            "shear_y", "translate_x_abs", "translate_y_abs", "cutout_abs", "grid_shuffle",
            "resized_crop_bicubic", "resize_center_crop_bicubic");

    private GoldenOps() {
    }

    /**
     * The op for a case.
     *
     * @param where names the case in error messages (file and line)
     * @throws UserException for an unknown op, a missing or ill-typed parameter, or an invalid value
     */
    public static ImageOp create(String op, JsonNode params, String where) {
        Params p = new Params(params, where + " (" + op + ")");
        try {
            return switch (op) {
                case "resized_crop" -> {
                    // size is one int (square output) or, as torchvision also allows, [height, width].
                    int[] size = p.node().path("size").isArray() ? p.intArray("size") : new int[] {p.integer("size")};
                    if (size.length != 1 && size.length != 2) {
                        throw new UserException(where + " (resized_crop): 'size' must be an int or [height, width]");
                    }
                    yield new ResizedCrop(p.integer("top"), p.integer("left"), p.integer("height"),
                            p.integer("width"), size[0], size[size.length - 1]);
                }
                case "resized_crop_bicubic" -> new ResizedCrop(p.integer("top"), p.integer("left"),
                        p.integer("height"), p.integer("width"), p.integer("size"), p.integer("size"),
                        Resampling.BICUBIC);
                case "resize_center_crop_bicubic" -> {
                    ImageOp resize = new Resize(p.integer("resize"), Resampling.BICUBIC);
                    ImageOp crop = new CenterCrop(p.integer("size"));
                    yield img -> crop.apply(resize.apply(img));
                }
                case "hflip" -> new HorizontalFlip();
                case "brightness", "enhance_brightness" -> new Brightness(p.number("factor"));
                case "contrast", "enhance_contrast" -> new Contrast(p.number("factor"));
                case "saturation", "color" -> new Saturation(p.number("factor"));
                case "sharpness" -> new Sharpness(p.number("factor"));
                case "hue" -> new Hue(p.number("shift"));
                case "grayscale" -> new Grayscale();
                case "gaussian_blur_pil" -> new GaussianBlur(p.number("radius"));
                case "autocontrast" -> new AutoContrast();
                case "equalize" -> new Equalize();
                case "invert" -> new Invert();
                case "rotate" -> new Rotate(p.number("degrees"));
                case "posterize" -> new Posterize(p.integer("bits"));
                case "solarize" -> new Solarize(p.number("threshold"));
                // The reference adds in floating point and truncates with astype(uint8), so a fractional
                // addition acts like its integer part (for the non-negative additions RandAugment uses).
                case "solarize_add" -> new SolarizeAdd((int) p.number("addition"), p.number("threshold"));
                case "shear_x" -> new ShearX(p.number("shear"));
                case "shear_y" -> new ShearY(p.number("shear"));
                case "translate_x_abs" -> new TranslateX(p.number("pixels"));
                case "translate_y_abs" -> new TranslateY(p.number("pixels"));
                case "cutout_abs" -> new Cutout(p.number("center_x"), p.number("center_y"), p.number("size"));
                case "grid_shuffle" -> new GridShuffle(p.integer("grid"), p.intArray("permutation"));
                default -> throw new UserException(where + ": unknown op '" + op + "' (known: "
                        + String.join(", ", NAMES) + ")");
            };
        } catch (IllegalArgumentException e) {
            throw new UserException(where + " (" + op + "): invalid parameters: " + e.getMessage());
        }
    }

    /** Typed access to a params object with user-error messages. */
    private record Params(JsonNode node, String where) {
        double number(String key) {
            JsonNode v = node.get(key);
            if (v == null || !v.isNumber()) {
                throw new UserException(where + ": missing or non-numeric parameter '" + key + "'");
            }
            return v.doubleValue();
        }

        int integer(String key) {
            JsonNode v = node.get(key);
            if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new UserException(where + ": missing or non-integer parameter '" + key + "'");
            }
            return v.intValue();
        }

        int[] intArray(String key) {
            JsonNode v = node.get(key);
            if (v == null || !v.isArray()) {
                throw new UserException(where + ": missing or non-array parameter '" + key + "'");
            }
            int[] out = new int[v.size()];
            for (int i = 0; i < out.length; i++) {
                JsonNode e = v.get(i);
                if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                    throw new UserException(where + ": parameter '" + key + "' must hold integers");
                }
                out[i] = e.intValue();
            }
            return out;
        }
    }
}
