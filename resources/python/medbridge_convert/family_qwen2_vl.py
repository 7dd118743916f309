"""Qwen2-VL and Qwen2.5-VL: flattened patches + grid -> merged image tokens; M-RoPE decoder (position_ids [3, b, s]).

The vision tower's own blocks, rotary embedding and merger run unchanged. What transformers computes from the grid
with Python loops (rotary positions, per-image attention segments, Qwen2.5-VL's window order) is computed here with
tensor operations, so the graph works for any grid and any number of images, and handed to the tower as the
precomputed inputs transformers accepts (position_ids, cu_seqlens, window_index, cu_window_seqlens). Attention
segments are applied by a masked attention registered for the export (same softmax as eager attention)."""
import torch
import torch.nn.functional as F
from torch import nn
from transformers import AttentionInterface

from . import onnx_export

EXPORT_ATTENTION = "medbridge_flash_export"  # "flash" in the name makes the tower pass cu_seqlens to it


def segment_ids(cu_seqlens, length):
    """Index of the segment each position falls in, from cumulative boundaries [0, ..., length]."""
    pos = torch.arange(length, device=cu_seqlens.device)
    return (pos[:, None] >= cu_seqlens[None, 1:]).sum(-1)


def segment_attention(module, query, key, value, attention_mask=None, scaling=None, dropout=0.0, cu_seq_lens_q=None, **kwargs):
    """Softmax attention inside each segment given by cu_seq_lens_q (query/key/value: [1, heads, N, d])."""
    seg = segment_ids(cu_seq_lens_q, query.shape[2])
    same = seg[:, None] == seg[None, :]
    weights = torch.matmul(query, key.transpose(2, 3)) * scaling
    weights = weights.masked_fill(~same, torch.finfo(weights.dtype).min)
    weights = F.softmax(weights, dim=-1, dtype=torch.float32).to(query.dtype)
    return torch.matmul(weights, value).transpose(1, 2).contiguous(), None


AttentionInterface.register(EXPORT_ATTENTION, segment_attention)


class QwenVision(nn.Module):
    def __init__(self, model, windowed):
        super().__init__()
        self.visual = model.model.visual
        cfg = self.visual.config
        self.merge = cfg.spatial_merge_size
        self.windowed = windowed
        if windowed:
            self.window = cfg.window_size // cfg.spatial_merge_size // cfg.patch_size

    def forward(self, pixel_values, grid_thw):
        m, mm = self.merge, self.merge * self.merge
        n = pixel_values.shape[0]
        per_image = grid_thw[:, 0] * grid_thw[:, 1] * grid_thw[:, 2]
        cu = F.pad(per_image.cumsum(0), (1, 0))
        patch = torch.arange(n)
        image = segment_ids(cu, n)
        h, w = grid_thw[image, 1], grid_thw[image, 2]
        local = (patch - cu[image]) % (h * w)  # frames of one image repeat the same positions
        block, within = local // mm, local % mm
        blocks_w = w // m
        hpos = (block // blocks_w) * m + within // m
        wpos = (block % blocks_w) * m + within % m
        kwargs = {"position_ids": torch.stack([hpos, wpos], dim=-1), "cu_seqlens": cu, "max_seqlen": 1}
        if self.windowed:
            kwargs.update(self.windows(grid_thw, cu, n))
        return self.visual(pixel_values, grid_thw, **kwargs).pooler_output

    def windows(self, grid_thw, cu, n):
        """Order of merged units window by window (as transformers' get_vision_window_index) and window boundaries."""
        m, mm, win = self.merge, self.merge * self.merge, self.window
        units = n // mm
        unit = torch.arange(units)
        cu_units = cu // mm
        image = segment_ids(cu_units, units)
        h, w = grid_thw[image, 1] // m, grid_thw[image, 2] // m
        local = unit - cu_units[image]
        frame, rest = local // (h * w), local % (h * w)
        uh, uw = rest // w, rest % w
        windows_w = w // win + 1
        window = (uh // win) * windows_w + uw // win
        key = ((image * 4096 + frame) * 65536 + window) * (win * win) + (uh % win) * win + (uw % win)
        order = torch.argsort(key)
        group = (image * 4096 + frame) * 65536 + window
        sorted_group = group[order]
        change = torch.nonzero(sorted_group[1:] != sorted_group[:-1]).flatten() + 1
        bounds = torch.cat([torch.zeros(1, dtype=torch.long), change * mm, torch.full((1,), n, dtype=torch.long)])
        return {"window_index": order, "cu_window_seqlens": bounds, "max_window_seqlen": 1}


def dummy_grid(image_processor):
    patch = image_processor.get("patch_size", 14)
    merge = image_processor.get("merge_size", 2)
    temporal = image_processor.get("temporal_patch_size", 2)
    # two images of different grids, so nothing about one grid is fixed in the graph
    grid = torch.tensor([[1, 2 * merge, 3 * merge], [1, 4 * merge, 2 * merge]], dtype=torch.long)
    n = int((grid[:, 0] * grid[:, 1] * grid[:, 2]).sum())
    return torch.randn(n, 3 * temporal * patch * patch), grid


def export_vision_for(grid_input):
    def export_vision(model, image_processor, path):
        model.model.visual.config._attn_implementation = EXPORT_ATTENTION
        try:
            pixels, grid = dummy_grid(image_processor)
            onnx_export.export(
                QwenVision(model, windowed=grid_input == "image_grid_thw"), (pixels, grid), path, ["pixel_values", grid_input],
                ["image_features"], {"pixel_values": {0: "num_patches"}, grid_input: {0: "num_images"}, "image_features": {0: "num_image_tokens"}},
            )
        finally:
            model.model.visual.config._attn_implementation = "eager"

    return export_vision


def export_decoder(model, path):
    def positions(batch, seq, past):
        p = torch.arange(past, past + seq).view(1, 1, seq).expand(3, batch, seq).contiguous()
        return p, {1: "batch_size", 2: "sequence_length"}

    onnx_export.export_decoder(model.model.language_model, model.lm_head, model.config.get_text_config(), path, positions)


def runner_config(config):
    """transformers.js reads qwen2_vl's text sizes from the top level of config.json (qwen2_5_vl: from text_config)."""
    if config.get("model_type") != "qwen2_vl":
        return config
    return {**config.get("text_config", {}), **{k: v for k, v in config.items()}}


def image_processor_for_runner(image_processor):
    size = image_processor.get("size") or {}
    out = dict(image_processor)
    out.setdefault("min_pixels", size.get("shortest_edge"))
    out.setdefault("max_pixels", size.get("longest_edge"))
    out["image_processor_type"] = "Qwen2VLImageProcessor"
    return out


def family(model_type):
    grid_input = "grid_thw" if model_type == "qwen2_vl" else "image_grid_thw"
    return {
        "processor_class": "Qwen2VLProcessor" if model_type == "qwen2_vl" else "Qwen2_5_VLProcessor",
        "export_vision": export_vision_for(grid_input),
        "export_decoder": export_decoder,
        "runner_processor_config": lambda processor_config, config: None,
        "runner_config": runner_config,
        "runner_image_processor": image_processor_for_runner,
    }
