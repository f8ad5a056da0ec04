#!/usr/bin/python3
"""Writes the decoder golden files: small images in the formats ImageNet-like folders hold, and what
PIL 9.4 returns for each with Image.open(f).convert('RGB') (the reference of selfsup's decoder).

Run with Debian's interpreter (python3-pil 9.4):  /usr/bin/python3 tools/make_decode_goldens.py
Output: src/test/resources/decode/<name>.<ext> and <name>.rgb (H*W*3 bytes, HWC), plus MANIFEST
(one line per case: name file width height). Deterministic: a fixed seed draws the content.
"""
import io, os, random, struct, sys, zlib
import PIL
from PIL import Image, ImageDraw, ImageFilter

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "decode")
rng = random.Random(20261201)


def picture(w, h):
    """A photo-like RGB picture: gradients, shapes, edges and noise (exercises DCT, chroma, upsampling)."""
    img = Image.new("RGB", (w, h))
    px = img.load()
    for y in range(h):
        for x in range(w):
            px[x, y] = ((x * 255) // max(1, w - 1), (y * 255) // max(1, h - 1), ((x + y) * 7) % 256)
    d = ImageDraw.Draw(img)
    for _ in range(6):
        x0, y0 = rng.randrange(w), rng.randrange(h)
        x1, y1 = x0 + rng.randrange(4, w // 2 + 5), y0 + rng.randrange(4, h // 2 + 5)
        d.ellipse((x0, y0, x1, y1), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    img = img.filter(ImageFilter.GaussianBlur(0.7))
    px = img.load()
    for y in range(h):
        for x in range(w):
            r, g, b = px[x, y]
            n = rng.randrange(-12, 13)
            px[x, y] = (max(0, min(255, r + n)), max(0, min(255, g - n)), max(0, min(255, b + n // 2)))
    return img


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png16(w, h, colour):
    """A 16-bit PNG written by hand (PIL cannot write 48-bit RGB): colour type 2 (RGB) or 0 (grey)."""
    ch = 3 if colour else 1
    raw = bytearray()
    for y in range(h):
        raw.append(0)
        for x in range(w):
            for c in range(ch):
                v = (x * 2311 + y * 977 + c * 30011) % 65536 if colour else (x * 40 + y * 3) % 400
                raw += struct.pack(">H", v)
    ihdr = struct.pack(">IIBBBBB", w, h, 16, 2 if colour else 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(bytes(raw))) \
        + png_chunk(b"IEND", b"")


def exif_rotated(img):
    """A JPEG whose EXIF says 'rotate 90 CW' (orientation 6): PIL's convert ignores it."""
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90, exif=exif.tobytes())
    return buf.getvalue()


def jpeg(img, **kw):
    buf = io.BytesIO()
    img.save(buf, "JPEG", **kw)
    return buf.getvalue()


def png(img, **kw):
    buf = io.BytesIO()
    img.save(buf, "PNG", **kw)
    return buf.getvalue()


def main():
    if not PIL.__version__.startswith("9.4"):
        sys.exit("needs PIL 9.4 (Debian's /usr/bin/python3), found " + PIL.__version__)
    os.makedirs(OUT, exist_ok=True)
    big = picture(83, 61)       # odd sizes: partial MCUs on both axes
    small = picture(37, 29)
    pal = small.quantize(colors=37)
    pal_t = pal.copy()
    pal_t.info["transparency"] = 3
    rgba = small.copy()
    rgba.putalpha(Image.linear_gradient("L").resize(small.size))
    cases = [
        ("jpeg-420-q90", "jpg", jpeg(big, quality=90)),                       # PIL's default 4:2:0
        ("jpeg-422-q85", "jpg", jpeg(big, quality=85, subsampling=1)),
        ("jpeg-444-q95", "jpg", jpeg(big, quality=95, subsampling=0)),
        ("jpeg-progressive", "jpg", jpeg(big, quality=90, progressive=True)),
        ("jpeg-optimized-q75", "jpg", jpeg(small, quality=75, optimize=True)),
        ("jpeg-grey", "jpg", jpeg(big.convert("L"), quality=90)),
        ("jpeg-cmyk", "jpg", jpeg(small.convert("CMYK"), quality=90)),
        ("jpeg-exif-rotate", "jpg", exif_rotated(small)),
        ("jpeg-1x1", "jpg", jpeg(Image.new("RGB", (1, 1), (200, 30, 90)), quality=90)),
        ("png-rgb", "png", png(small)),
        ("png-grey", "png", png(small.convert("L"))),
        ("png-1bit", "png", png(small.convert("1"))),
        ("png-palette", "png", png(pal)),
        ("png-palette-transparent", "png", png(pal_t, transparency=3)),
        ("png-rgba", "png", png(rgba)),
        ("png-grey-alpha", "png", png(rgba.convert("LA"))),
        ("png-16bit-rgb", "png", png16(23, 17, True)),
        ("png-16bit-grey", "png", png16(23, 17, False)),
    ]
    manifest = []
    for name, ext, data in cases:
        path = os.path.join(OUT, name + "." + ext)
        with open(path, "wb") as f:
            f.write(data)
        ref = Image.open(path).convert("RGB")
        with open(os.path.join(OUT, name + ".rgb"), "wb") as f:
            f.write(ref.tobytes())
        manifest.append("%s %s.%s %d %d" % (name, name, ext, ref.width, ref.height))
    with open(os.path.join(OUT, "MANIFEST"), "w") as f:
        f.write("# name file width height; <name>.rgb = PIL %s Image.open(file).convert('RGB'), HWC bytes\n"
                % PIL.__version__)
        f.write("\n".join(manifest) + "\n")
    print("wrote %d cases to %s" % (len(cases), os.path.normpath(OUT)))


if __name__ == "__main__":
    main()
