"""Gemma 3 (MedGemma): SigLIP tower at a fixed input size, average-pooled and projected (transformers'
get_image_features, batched); Gemma 3 decoder with sliding-window and full-attention layers.

transformers lets the image tokens of one image attend to each other in both directions (token_type_ids from the
processor), in every layer, within the sliding window on sliding layers. transformers.js passes no token types to
the decoder, so a Gemma 3 pack's decoder reads them from attention_mask: 0 padding, 1 text, 2 image token (the
runner writes the 2s). From that one input the graph builds both 4-D masks transformers builds and the positions
(0, 1, ... over the unpadded tokens); it has no position_ids input."""
import torch
from torch import nn

from . import onnx_export
from .family_llava import image_size
from .trace_cache import TracingKVCache

IMAGE_TOKEN_MASK_VALUE = 2


class Gemma3Vision(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model.model

    def forward(self, pixel_values):
        return self.model.get_image_features(pixel_values).pooler_output


def attention_masks(attention_mask, query_length, sliding_window, dtype):
    """The two additive [b, 1, q, total] masks of transformers' create_masks_for_vision_model:
    full = (causal or same image block) and not padding; sliding = full and key within the window."""
    total = attention_mask.shape[1]
    past = total - query_length
    valid = attention_mask > 0
    image = attention_mask == IMAGE_TOKEN_MASK_VALUE
    previous = torch.cat([torch.zeros_like(image[:, :1]), image[:, :-1]], dim=1)
    block = torch.where(image, torch.cumsum((image & ~previous).long(), dim=1) - 1, torch.full_like(attention_mask, -1))
    q_block = block[:, past:]
    q_pos = (torch.arange(query_length) + past).view(1, -1, 1)
    k_pos = torch.arange(total).view(1, 1, -1)
    same_block = (q_block[:, :, None] == block[:, None, :]) & (q_block[:, :, None] >= 0)
    full = ((k_pos <= q_pos) | same_block) & valid[:, None, :]
    sliding = full & (k_pos > q_pos - sliding_window)
    zero = torch.zeros((), dtype=dtype)
    low = torch.full((), torch.finfo(dtype).min, dtype=dtype)
    return {"full_attention": torch.where(full, zero, low).unsqueeze(1), "sliding_attention": torch.where(sliding, zero, low).unsqueeze(1)}


class Gemma3Decoder(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.language_model = model.model.language_model
        self.lm_head = model.lm_head
        self.text_config = model.config.get_text_config()

    def forward(self, inputs_embeds, attention_mask, *past):
        cfg = self.text_config
        cache = TracingKVCache(past[0::2], past[1::2])
        q = inputs_embeds.shape[1]
        positions = (torch.cumsum((attention_mask > 0).long(), dim=1) - 1).clamp(min=0)[:, attention_mask.shape[1] - q :]
        masks = attention_masks(attention_mask, q, cfg.sliding_window, inputs_embeds.dtype)
        out = self.language_model(inputs_embeds=inputs_embeds, attention_mask=masks, position_ids=positions, past_key_values=cache, use_cache=True)
        logits = self.lm_head(out.last_hidden_state)
        cap = getattr(cfg, "final_logit_softcapping", None)
        if cap is not None:
            logits = torch.tanh(logits / cap) * cap
        flat = []
        for i in range(cfg.num_hidden_layers):
            flat += [cache.keys[i], cache.values[i]]
        return (logits, *flat)


def export_vision(model, image_processor, path):
    h, w = image_size(image_processor)
    pixels = torch.randn(2, 3, h, w)
    onnx_export.export(
        Gemma3Vision(model), (pixels,), path, ["pixel_values"], ["image_features"],
        {"pixel_values": {0: "batch_size"}, "image_features": {0: "batch_size"}},
    )


def export_decoder(model, path):
    onnx_export.export_decoder(
        model.model.language_model, model.lm_head, model.config.get_text_config(), path, None, decoder=Gemma3Decoder(model)
    )


def runner_processor_config(processor_config, config):
    return {"processor_class": "Gemma3Processor", "image_seq_length": processor_config.get("image_seq_length", config.get("mm_tokens_per_image", 256))}


def runner_image_processor(image_processor):
    if image_processor.get("do_pan_and_scan"):
        from .messages import ConvertError

        raise ConvertError(
            "convert/unsupported-architecture", "this Gemma 3 folder uses pan-and-scan crops, which the runner does not implement", "processor_config.json"
        )
    return {**image_processor, "image_processor_type": "Gemma3ImageProcessor"}


FAMILY = {
    "processor_class": "Gemma3Processor",
    "export_vision": export_vision,
    "export_decoder": export_decoder,
    "runner_processor_config": runner_processor_config,
    "runner_image_processor": runner_image_processor,
    "chat_template_file": True,
}
