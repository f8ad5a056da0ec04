#!/usr/bin/python3
"""Seeded corpus of damaged image files with PIL 9.4's verdict on each, for MutationCorpusTest.

Every JPEG and PNG of src/test/resources/decode is mutated the same seeded ways (truncation, bit flips,
overwritten bytes, junk bytes before a JPEG marker, trailing garbage, a PNG without IEND or with a bad CRC,
an ancillary PNG chunk dropped), and each mutant is opened as the papers' loaders do,
Image.open(f).convert("RGB") with PIL's defaults. verdicts.tsv holds one line per file:

  NAME <TAB> ok <TAB> WIDTHxHEIGHT <TAB> sha256 of the RGB bytes
  NAME <TAB> error <TAB> the exception's class and message

Debian's python3-pil 9.4 is the reference (apt-get install python3-pil):

  /usr/bin/python3 tools/make_mutation_corpus.py --out src/test/resources/mutations
"""
import argparse, hashlib, os, random, struct, zlib

from PIL import Image

SRC = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "decode")
SEED = 22


def jpeg_markers(b):
    """Offsets of the markers of a JPEG's header segments (up to and including SOS)."""
    out, pos = [], 2
    while pos + 4 <= len(b) and b[pos] == 0xFF:
        m = b[pos + 1]
        out.append(pos)
        if m == 0xDA:
            break
        pos += 2 + struct.unpack(">H", b[pos + 2:pos + 4])[0]
    return out


def png_chunks(b):
    """(offset, type, length) of a PNG's chunks."""
    out, pos = [], 8
    while pos + 12 <= len(b):
        n = struct.unpack(">I", b[pos:pos + 4])[0]
        out.append((pos, b[pos + 4:pos + 8], n))
        pos += 12 + n
    return out


def mutants(name, b, rng):
    is_png = b[:4] == b"\x89PNG"
    for k in range(3):
        yield "trunc%d" % k, b[:max(16, int(len(b) * rng.uniform(0.3, 0.99)))]
    for k in range(3):
        m = bytearray(b)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(20, len(m))
            m[i] ^= 1 << rng.randrange(8)
        yield "flip%d" % k, bytes(m)
    for k in range(2):
        m = bytearray(b)
        i = rng.randrange(20, len(m) - 8)
        for j in range(rng.randint(1, 8)):
            m[i + j] = rng.randrange(256)
        yield "over%d" % k, bytes(m)
    yield "tail", b + bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    if is_png:
        chunks = png_chunks(b)
        iend = [c for c in chunks if c[1] == b"IEND"]
        if iend:
            yield "noiend", b[:iend[0][0]]
        for k, (pos, typ, n) in enumerate(chunks):
            m = bytearray(b)
            m[pos + 8 + n] ^= 0x01  # that chunk's CRC
            yield "crc-%s" % typ.decode("latin-1"), bytes(m)
            if typ[0] & 0x20:  # ancillary
                yield "drop-%s" % typ.decode("latin-1"), b[:pos] + b[pos + 12 + n:]
        idat = [c for c in chunks if c[1] == b"IDAT"]
        if idat:
            pos, _, n = idat[0]
            data = bytearray(b[pos + 8:pos + 8 + n])
            data[min(len(data) - 1, 2 + rng.randrange(max(1, len(data) - 2)))] ^= 0x10
            crc = struct.pack(">I", zlib.crc32(b"IDAT" + bytes(data)) & 0xFFFFFFFF)
            yield "zlib", b[:pos + 8] + bytes(data) + crc + b[pos + 12 + n:]
    else:
        for k, pos in enumerate(jpeg_markers(b)[1:4]):
            junk = bytes(rng.randrange(0, 0xFF) for _ in range(rng.randint(1, 16)))
            yield "junk%d" % k, b[:pos] + junk + b[pos:]
        eoi = b.rfind(b"\xff\xd9")
        if eoi > 0:
            yield "noeoi", b[:eoi]


def verdict(path):
    try:
        with Image.open(path) as im:
            rgb = im.convert("RGB")
            return "ok\t%dx%d\t%s" % (rgb.width, rgb.height, hashlib.sha256(rgb.tobytes()).hexdigest())
    except Exception as e:  # what PIL refuses, with its reason
        why = str(e).replace(path, os.path.basename(path)).replace("\t", " ").replace("\n", " ")
        return "error\t%s: %s" % (type(e).__name__, why)


def main():
    ap = argparse.ArgumentParser(description="Write a seeded corpus of damaged images and PIL's verdicts.")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = random.Random(SEED)
    lines = []
    for name in sorted(os.listdir(SRC)):
        if not name.endswith((".jpg", ".png")):
            continue
        with open(os.path.join(SRC, name), "rb") as f:
            b = f.read()
        stem, ext = os.path.splitext(name)
        for kind, m in mutants(name, b, rng):
            out = "%s.%s%s" % (stem, kind, ext)
            with open(os.path.join(a.out, out), "wb") as f:
                f.write(m)
            lines.append("%s\t%s" % (out, verdict(os.path.join(a.out, out))))
    with open(os.path.join(a.out, "verdicts.tsv"), "w") as f:
        f.write("# PIL %s verdicts of Image.open(f).convert('RGB'); tools/make_mutation_corpus.py, seed %d\n"
                % (Image.__version__, SEED))
        f.write("\n".join(lines) + "\n")
    print("wrote %d mutants and their PIL verdicts to %s" % (len(lines), a.out))


if __name__ == "__main__":
    main()
