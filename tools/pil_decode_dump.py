#!/usr/bin/python3
"""PIL side of the decoder parity check on real files: writes PIL 9.4's Image.open(f).convert("RGB")
of every N-th image below DIR as raw RGB bytes, and the list of files, for tools/DecodeParity.java.

  /usr/bin/python3 tools/pil_decode_dump.py --data-dir DIR --every 40 --out /tmp/pil
  java -cp target/classes:$(cat target/cp.txt) tools/DecodeParity.java /tmp/pil
"""
import argparse, os
from PIL import Image

EXT = (".jpg", ".jpeg", ".png")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--every", type=int, default=1, help="take every N-th file (sorted)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    files = sorted(os.path.join(r, f) for r, _, fs in os.walk(a.data_dir) for f in fs if f.lower().endswith(EXT))
    files = files[::a.every]
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "list"), "w") as lst:
        for i, f in enumerate(files):
            with open(os.path.join(a.out, "%d.rgb" % i), "wb") as o:
                o.write(Image.open(f).convert("RGB").tobytes())
            lst.write(f + "\n")
    print("wrote PIL arrays of %d files to %s" % (len(files), a.out))


if __name__ == "__main__":
    main()
