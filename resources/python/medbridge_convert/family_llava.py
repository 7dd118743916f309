"""LLaVA: CLIP-type vision tower at a fixed input size, feature layer + CLS strategy, projector; Llama-type decoder."""
import torch
from torch import nn

from . import onnx_export


class LlavaVision(nn.Module):
    """The steps of transformers' LlavaModel.get_image_features, kept batched ([b, N, H]; transformers returns a
    list per image): hidden states of the feature layer(s), CLS dropped for the "default" strategy, projector."""

    def __init__(self, model):
        super().__init__()
        self.tower = model.model.vision_tower
        self.projector = model.model.multi_modal_projector
        layer = model.config.vision_feature_layer
        self.layers = [layer] if isinstance(layer, int) else list(layer)
        self.drop_cls = model.config.vision_feature_select_strategy == "default"

    def forward(self, pixel_values):
        hidden = self.tower(pixel_values, output_hidden_states=True, return_dict=True).hidden_states
        picked = [hidden[i][:, 1:] if self.drop_cls else hidden[i] for i in self.layers]
        return self.projector(torch.cat(picked, dim=-1))


def image_size(image_processor):
    crop = image_processor.get("crop_size") or {}
    if "height" in crop:
        return crop["height"], crop["width"]
    size = image_processor.get("size") or {}
    if "height" in size:
        return size["height"], size["width"]
    edge = size.get("shortest_edge")
    return edge, edge


def export_vision(model, image_processor, path):
    h, w = image_size(image_processor)
    pixels = torch.randn(1, 3, h, w)
    onnx_export.export(
        LlavaVision(model), (pixels,), path, ["pixel_values"], ["image_features"],
        {"pixel_values": {0: "batch_size"}, "image_features": {0: "batch_size"}},
    )


def export_decoder(model, path):
    def positions(batch, seq, past):
        return torch.arange(past, past + seq).unsqueeze(0).expand(batch, seq).contiguous(), {0: "batch_size", 1: "sequence_length"}

    onnx_export.export_decoder(model.model.language_model, model.lm_head, model.config.text_config, path, positions)


def runner_processor_config(processor_config, config):
    """transformers.js counts image tokens as patches + num_additional_image_tokens and does not drop the CLS token for
    the "default" strategy as transformers does; the pack states the count the vision graph really outputs."""
    extra = processor_config.get("num_additional_image_tokens", 1 if config.get("vision_feature_select_strategy") == "default" else 0)
    if config.get("vision_feature_select_strategy", "default") == "default":
        extra -= 1
    return {
        "processor_class": "LlavaProcessor",
        "image_token": processor_config.get("image_token", "<image>"),
        "patch_size": processor_config.get("patch_size", config["vision_config"]["patch_size"]),
        "num_additional_image_tokens": extra,
    }


FAMILY = {
    "processor_class": "LlavaProcessor",
    "export_vision": export_vision,
    "export_decoder": export_decoder,
    "runner_processor_config": runner_processor_config,
}
