#!/usr/bin/env python3
"""The Python reference for the data-import bench (tests/bench/dicom-import.bench.ts): a single-process script doing
the per-file work a MedBridge DICOM import does, with well-kept libraries (pydicom 3 + pylibjpeg for every transfer
syntax, numpy, Pillow).

Usage: python dicom_same_work.py same-work ROOT OUT_DIR
       python dicom_same_work.py decode-only ROOT

Both modes walk ROOT (every file, sorted) and, per file, read it with pydicom and decode the first frame's pixels
(MedBridge imports one image per file: its first frame). same-work then renders it to 8 bits as
electron/dicom/voi.ts does (grey: rescale slope/intercept, then the first window with the LINEAR / LINEAR_EXACT /
SIGMOID function, else the frame's min-max; MONOCHROME1 inverted; palette colour through the LUT; colour samples scaled
to 8 bits; floor(y + 0.5) clipped to 0..255), encodes a PNG with Pillow (zlib level 6, as MedBridge's) and a thumbnail
with Image.thumbnail((96, 96)) (zlib level 9, as MedBridge's; an image already inside 96×96 is its own thumbnail, as in
MedBridge), takes the sha256 of both and writes each to OUT_DIR/<sha256>.png unless that file exists (a
content-addressed store, as MedBridge's blob store). Not done here, and done by the import: de-identification, the
perceptual hash, fsync, the database. Prints one JSON line: {"mode", "files", "ok", "failed", "seconds"} where seconds
is the time from the walk to the last file (interpreter start and imports excluded); failures go to stderr.
"""
import hashlib
import io
import json
import os
import sys
import time
import warnings

warnings.filterwarnings("ignore")
import numpy as np  # noqa: E402
import pydicom  # noqa: E402
from PIL import Image  # noqa: E402
from pydicom.pixels import apply_color_lut, pixel_array  # noqa: E402
from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian  # noqa: E402

THUMBNAIL_SIDE = 96
PNG_LEVEL = 6
THUMBNAIL_PNG_LEVEL = 9


def first(value):
    if value is None:
        return None
    if isinstance(value, (list, tuple, pydicom.multival.MultiValue)):
        return float(value[0]) if len(value) else None
    return float(value)


def read(path):
    ds = pydicom.dcmread(path, force=True)
    if "TransferSyntaxUID" not in ds.file_meta:
        ds.file_meta.TransferSyntaxUID = (
            ImplicitVRLittleEndian if ds.is_implicit_VR else ExplicitVRLittleEndian if ds.is_little_endian else ExplicitVRBigEndian
        )
    # Defaults for attributes that ACR-NEMA style files omit (as electron/dicom/pixel-module.ts).
    if "SamplesPerPixel" not in ds:
        ds.SamplesPerPixel = 1
    if "PhotometricInterpretation" not in ds:
        ds.PhotometricInterpretation = "MONOCHROME2"
    # First frame only; YCbCr comes back as RGB (pydicom's default), as MedBridge renders it.
    return ds, pixel_array(ds, index=0)


def to_u8(y):
    y += 0.5
    np.floor(y, out=y)
    np.clip(y, 0, 255, out=y)
    return y.astype(np.uint8)


def render(ds, arr):
    pi = ds.PhotometricInterpretation
    if pi == "PALETTE COLOR":
        rgb = apply_color_lut(arr, ds)
        bits = int(ds.RedPaletteColorLookupTableDescriptor[2])
        max_value = 2.0 ** (bits if rgb.dtype != np.uint8 else 8) - 1
        return to_u8(rgb.astype(np.float64) * (255.0 / max_value))
    if arr.ndim == 3:
        bits = int(ds.BitsStored)
        return arr.astype(np.uint8) if bits <= 8 else to_u8(arr.astype(np.float64) * (255.0 / (2.0 ** bits - 1)))
    slope = first(ds.get("RescaleSlope")) or 1.0
    intercept = first(ds.get("RescaleIntercept")) or 0.0
    x = arr.astype(np.float64)
    if slope != 1.0:
        x *= slope
    if intercept != 0.0:
        x += intercept
    c, w = first(ds.get("WindowCenter")), first(ds.get("WindowWidth"))
    fn = str(ds.get("VOILUTFunction", "LINEAR")).upper()
    fn = fn if fn in ("LINEAR_EXACT", "SIGMOID") else "LINEAR"
    if c is not None and w is not None and (w >= 1 if fn == "LINEAR" else w > 0):
        if fn == "SIGMOID":
            y = 255.0 / (1 + np.exp(-4 * (x - c) / w))
        elif fn == "LINEAR_EXACT":
            y = ((x - c) / w + 0.5) * 255.0
        else:
            # ((x - (c - 0.5)) / (w - 1) + 0.5) * 255, clipped: the piecewise LINEAR function of PS3.3 C.11.2.1.2.1.
            if w > 1:
                y = x - (c - 0.5)
                y /= w - 1
                y += 0.5
                y *= 255.0
            else:
                y = np.where(x > c - 0.5, 255.0, 0.0)
    else:
        lo, hi = float(x.min()), float(x.max())
        y = (x - lo) / (hi - lo) * 255.0 if hi > lo else np.zeros_like(x)
    out = to_u8(y)
    if pi == "MONOCHROME1":
        np.subtract(255, out, out=out)
    return out


def png(image, level):
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=level)
    return buf.getvalue()


def store(out_dir, data):
    digest = hashlib.sha256(data).hexdigest()
    path = os.path.join(out_dir, f"{digest}.png")
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
    return digest


def same_work(path, out_dir):
    ds, arr = read(path)
    u8 = render(ds, arr)
    image = Image.fromarray(u8)
    main = png(image, PNG_LEVEL)
    store(out_dir, main)
    if image.width <= THUMBNAIL_SIDE and image.height <= THUMBNAIL_SIDE:
        return
    thumb = image.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    store(out_dir, png(thumb, THUMBNAIL_PNG_LEVEL))


def main():
    mode, root = sys.argv[1], sys.argv[2]
    out_dir = sys.argv[3] if mode == "same-work" else None
    if mode not in ("same-work", "decode-only"):
        raise SystemExit(f"unknown mode {mode}")
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
    t0 = time.perf_counter()
    files = []
    for d, dirs, names in os.walk(root):
        dirs.sort()
        files.extend(os.path.join(d, n) for n in sorted(names) if not n.startswith("."))
    ok = failed = 0
    for path in files:
        try:
            if out_dir:
                same_work(path, out_dir)
            else:
                read(path)
            ok += 1
        except Exception as e:  # noqa: BLE001 - a failure is counted per file
            failed += 1
            if failed <= 5:
                print(f"{path}: {type(e).__name__}: {e}", file=sys.stderr)
    seconds = time.perf_counter() - t0
    print(json.dumps({"mode": mode, "files": len(files), "ok": ok, "failed": failed, "seconds": seconds}))


if __name__ == "__main__":
    main()
