#!/usr/bin/env python3
"""Reference 8-bit rendering of DICOM files with pydicom + numpy, for tests/unit/dicom.

Usage: .medbridge-python/bin/python dicom_reference.py OUT_DIR FILE...
Writes OUT_DIR/<n>.u8 (frames x rows x cols x channels, uint8) and prints one JSON object per line:
{"index": n, "file": ..., "ok": true, "shape": [...], "rendering": {...}} or {"ok": false, "error": "..."}.

The rendering rules are the ones documented in electron/dicom/voi.ts, written independently here:
  stored values: keep Bits Stored bits, two's complement when Pixel Representation is 1 (PS3.5 8.1.1);
  grey: value * RescaleSlope + RescaleIntercept; then the first WindowCenter/WindowWidth with the
  PS3.3 C.11.2.1.2.1 LINEAR function (or LINEAR_EXACT / SIGMOID per VOILUTFunction); else the frame's
  min-max; MONOCHROME1 inverted after VOI;
  colour: YBR_FULL(_422) -> RGB (pydicom convert_color_space), palette via pydicom apply_color_lut,
  entries scaled from 2^bits-1 to 255; every 8-bit value is floor(y + 0.5) clipped to 0..255.
"""
import json
import os
import sys
import warnings

import numpy as np

warnings.filterwarnings("ignore")
import pydicom  # noqa: E402
from pydicom.pixel_data_handlers.util import apply_color_lut, convert_color_space  # noqa: E402
from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian  # noqa: E402

OUT_MAX = 255.0


def to_byte(y):
    return np.clip(np.floor(y + 0.5), 0, 255).astype(np.uint8)


def first(value):
    if value is None:
        return None
    if isinstance(value, (list, tuple, pydicom.multival.MultiValue)):
        return float(value[0]) if len(value) else None
    return float(value)


def stored_values(ds, arr):
    bits = int(ds.BitsStored)
    v = arr.astype(np.int64) & ((1 << bits) - 1)
    if int(getattr(ds, "PixelRepresentation", 0)) == 1:
        v = np.where(v >= (1 << (bits - 1)), v - (1 << bits), v)
    return v.astype(np.float64)


def window(x, c, w, fn):
    if fn == "LINEAR_EXACT":
        y = ((x - c) / w + 0.5) * OUT_MAX
        return np.where(x <= c - w / 2, 0.0, np.where(x > c + w / 2, OUT_MAX, y))
    if fn == "SIGMOID":
        return OUT_MAX / (1 + np.exp(-4 * (x - c) / w))
    lo = c - 0.5 - (w - 1) / 2
    hi = c - 0.5 + (w - 1) / 2
    y = ((x - (c - 0.5)) / (w - 1) + 0.5) * OUT_MAX if w > 1 else np.zeros_like(x)
    return np.where(x <= lo, 0.0, np.where(x > hi, OUT_MAX, y))


def render_grey(ds, frame):
    slope = first(ds.get("RescaleSlope")) or 1.0
    intercept = first(ds.get("RescaleIntercept")) or 0.0
    x = frame * slope + intercept
    c, w = first(ds.get("WindowCenter")), first(ds.get("WindowWidth"))
    fn = str(ds.get("VOILUTFunction", "LINEAR")).upper()
    fn = fn if fn in ("LINEAR_EXACT", "SIGMOID") else "LINEAR"
    usable = c is not None and w is not None and (w >= 1 if fn == "LINEAR" else w > 0)
    if usable:
        y = window(x, c, w, fn)
        voi = {"kind": "window", "center": c, "width": w, "function": fn}
    else:
        lo, hi = float(x.min()), float(x.max())
        y = (x - lo) / (hi - lo) * OUT_MAX if hi > lo else np.zeros_like(x)
        voi = {"kind": "min-max", "min": lo, "max": hi}
    out = to_byte(y)
    invert = ds.PhotometricInterpretation == "MONOCHROME1"
    if invert:
        out = (255 - out).astype(np.uint8)
    return out, {"rescale": {"slope": slope, "intercept": intercept}, "voi": voi, "invert": invert}


def palette_to_bytes(ds, frame):
    rgb = apply_color_lut(frame.astype(np.int64), ds).astype(np.float64)
    desc = ds.RedPaletteColorLookupTableDescriptor
    entries = desc[0] or 65536
    wide = len(ds.RedPaletteColorLookupTableData) >= 2 * entries
    max_value = 2.0 ** (desc[2] if wide else 8) - 1
    return to_byte(np.minimum(rgb, max_value) * OUT_MAX / max_value)


def render(ds):
    if "TransferSyntaxUID" not in ds.file_meta:
        # Bare data set: tell pydicom how it was read.
        ds.file_meta.TransferSyntaxUID = (
            ImplicitVRLittleEndian if ds.is_implicit_VR else ExplicitVRLittleEndian if ds.is_little_endian else ExplicitVRBigEndian
        )
    # Defaults for attributes that pre-1993 ACR-NEMA style files omit (same defaults as electron/dicom/pixel-module.ts).
    if "SamplesPerPixel" not in ds:
        ds.SamplesPerPixel = 1
    if "PhotometricInterpretation" not in ds:
        ds.PhotometricInterpretation = "MONOCHROME2"
    # pydicom 3 would convert YCbCr to RGB itself; the conversion is done below, explicitly, as documented above.
    ds.pixel_array_options(as_rgb=False)
    arr = ds.pixel_array
    rows, cols = int(ds.Rows), int(ds.Columns)
    spp = int(getattr(ds, "SamplesPerPixel", 1))
    frames = int(float(getattr(ds, "NumberOfFrames", 1) or 1))
    arr = arr.reshape((frames, rows, cols, spp))
    pi = ds.PhotometricInterpretation
    out, rendering = [], []
    for f in arr:
        if pi == "PALETTE COLOR":
            out.append(palette_to_bytes(ds, f[..., 0]))
            rendering.append({"colour": "palette"})
        elif spp == 3:
            rgb = convert_color_space(f, pi, "RGB") if pi in ("YBR_FULL", "YBR_FULL_422") else f
            bits = int(ds.BitsStored)
            scale = 1.0 if bits <= 8 else OUT_MAX / (2.0 ** bits - 1)
            out.append(to_byte(rgb.astype(np.float64) * scale))
            rendering.append({"colour": "rgb"})
        else:
            g, r = render_grey(ds, stored_values(ds, f[..., 0]))
            out.append(g[..., None])
            rendering.append({"colour": "grey", **r})
    return np.stack(out), rendering


def main():
    out_dir, files = sys.argv[1], sys.argv[2:]
    for n, path in enumerate(files):
        try:
            ds = pydicom.dcmread(path, force=True)
            img, rendering = render(ds)
            img.astype(np.uint8).tofile(os.path.join(out_dir, f"{n}.u8"))
            rec = {"index": n, "file": path, "ok": True, "shape": list(img.shape), "rendering": rendering[0]}
        except Exception as e:  # noqa: BLE001 - a failure is reported per file
            rec = {"index": n, "file": path, "ok": False, "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(rec), flush=True)


if __name__ == "__main__":
    main()
