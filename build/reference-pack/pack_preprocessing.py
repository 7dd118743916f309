"""Preprocessing shared by the reference pack's training script and its TypeScript runner.

The TypeScript twins are electron/models/text-hash-embedding.ts and electron/models/image-resize.ts;
tests/unit/models/text-hash-parity.test.ts checks that both sides agree (golden file + live run).
"""
import math
import unicodedata

import numpy as np

# Hashed character-trigram bag ("feature hashing", Weinberger et al., ICML 2009).
TEXT_HASH_DIM = 512
FNV32_OFFSET = 0x811C9DC5
FNV32_PRIME = 0x01000193
SIGN_BIT = 16  # bit of the hash that decides the sign of the contribution


def normalise_option_text(text: str) -> bytes:
    """NFC, UTF-8, ASCII letters lowered, runs of other ASCII bytes (space, punctuation) -> one space, padded."""
    raw = unicodedata.normalize("NFC", text).encode("utf-8")
    out = bytearray()
    pending_space = True  # leading boundary
    for b in raw:
        if 0x41 <= b <= 0x5A:
            b += 0x20
        word_byte = (0x61 <= b <= 0x7A) or (0x30 <= b <= 0x39) or b >= 0x80
        if word_byte:
            if pending_space:
                out.append(0x20)
                pending_space = False
            out.append(b)
        else:
            pending_space = True
    out.append(0x20)  # trailing boundary
    return bytes(out)


def fnv1a32(data: bytes) -> int:
    h = FNV32_OFFSET
    for b in data:
        h ^= b
        h = (h * FNV32_PRIME) & 0xFFFFFFFF
    return h


def text_hash_embedding(text: str, dim: int = TEXT_HASH_DIM) -> np.ndarray:
    """Signed hashed trigram counts, L2-normalised (all zeros for text without letters or digits)."""
    vec = np.zeros(dim, dtype=np.float64)
    b = normalise_option_text(text)
    for i in range(len(b) - 2):
        h = fnv1a32(b[i:i + 3])
        sign = -1.0 if (h >> SIGN_BIT) & 1 else 1.0
        vec[h % dim] += sign
    norm = math.sqrt(float(np.dot(vec, vec)))
    if norm > 0:
        vec /= norm
    return vec.astype(np.float32)


def _axis_weights(in_size: int, out_size: int):
    """Antialiased bilinear (triangle filter widened by the scale when shrinking), half-pixel centres."""
    scale = in_size / out_size
    support = max(scale, 1.0)
    rows = []
    for i in range(out_size):
        centre = (i + 0.5) * scale
        lo = max(0, int(math.floor(centre - support)))
        hi = min(in_size - 1, int(math.ceil(centre + support)))
        taps = []
        total = 0.0
        for j in range(lo, hi + 1):
            w = 1.0 - abs((j + 0.5 - centre) / support)
            if w > 0:
                taps.append((j, w))
                total += w
        rows.append([(j, w / total) for j, w in taps])
    return rows


def _weight_matrix(in_size: int, out_size: int) -> np.ndarray:
    m = np.zeros((out_size, in_size), dtype=np.float64)
    for i, taps in enumerate(_axis_weights(in_size, out_size)):
        for j, w in taps:
            m[i, j] = w
    return m


def resize_bilinear(image: np.ndarray, out_h: int, out_w: int) -> np.ndarray:
    """image: (H, W, C) uint8 -> (out_h, out_w, C) float64 in 0..255."""
    h, w = image.shape[0], image.shape[1]
    wy = _weight_matrix(h, out_h)
    wx = _weight_matrix(w, out_w)
    x = image.astype(np.float64)
    rows = np.tensordot(wy, x, axes=([1], [0]))  # (out_h, W, C): vertical pass first, as in the TS twin
    return np.tensordot(rows, wx, axes=([1], [1])).transpose(0, 2, 1)


def to_pixel_values(image: np.ndarray, size: int, mean, std) -> np.ndarray:
    """(H, W, 1|3) uint8 -> (3, size, size) float32, grey replicated to RGB, (x/255 - mean)/std."""
    if image.ndim == 2:
        image = image[:, :, None]
    resized = resize_bilinear(image, size, size) / 255.0
    if resized.shape[2] == 1:
        resized = np.repeat(resized, 3, axis=2)
    chw = resized.transpose(2, 0, 1)
    m = np.asarray(mean, dtype=np.float64)[:, None, None]
    s = np.asarray(std, dtype=np.float64)[:, None, None]
    return ((chw - m) / s).astype(np.float32)
