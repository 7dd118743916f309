"""The three graphs of the transformers.js VLM layout, exported from the PyTorch model with torch.onnx
(TorchScript tracer; the model's own modules run, so the graphs compute what transformers computes):
  embed_tokens:          input_ids [batch_size, sequence_length] -> inputs_embeds [b, s, H]
  vision_encoder:        family-specific (see families.py) -> image_features
  decoder_model_merged:  inputs_embeds, attention_mask [b, total], position_ids, past_key_values.{i}.key|value
                         [batch_size, kv_heads, past_sequence_length, head_dim] -> logits [b, s, V], present.{i}.key|value
                         (a family whose graph derives the positions from attention_mask has no position_ids input)"""
import torch
from torch import nn

from .trace_cache import TracingKVCache, additive_causal_mask

OPSET = 17


class EmbedTokens(nn.Module):
    def __init__(self, embedding):
        super().__init__()
        self.embedding = embedding

    def forward(self, input_ids):
        return self.embedding(input_ids)


class DecoderWithCache(nn.Module):
    """language model + lm_head; the padding mask becomes the 4D additive causal mask the model accepts as-is."""

    def __init__(self, language_model, lm_head, layers):
        super().__init__()
        self.language_model = language_model
        self.lm_head = lm_head
        self.layers = layers

    def forward(self, inputs_embeds, attention_mask, position_ids, *past):
        cache = TracingKVCache(past[0::2], past[1::2])
        mask = additive_causal_mask(attention_mask, inputs_embeds.shape[1], inputs_embeds.dtype)
        out = self.language_model(
            inputs_embeds=inputs_embeds, attention_mask=mask, position_ids=position_ids, past_key_values=cache, use_cache=True
        )
        logits = self.lm_head(out.last_hidden_state)
        flat = []
        for i in range(self.layers):
            flat += [cache.keys[i], cache.values[i]]
        return (logits, *flat)


def export(module, args, path, input_names, output_names, dynamic_axes):
    with torch.no_grad():
        torch.onnx.export(
            module, args, path, input_names=input_names, output_names=output_names, dynamic_axes=dynamic_axes,
            opset_version=OPSET, dynamo=False, do_constant_folding=True,
        )


def export_embed_tokens(model, path, hidden):
    ids = torch.tensor([[1, 2, 3]], dtype=torch.long)
    export(
        EmbedTokens(model.get_input_embeddings()), (ids,), path, ["input_ids"], ["inputs_embeds"],
        {"input_ids": {0: "batch_size", 1: "sequence_length"}, "inputs_embeds": {0: "batch_size", 1: "sequence_length"}},
    )


def export_decoder(language_model, lm_head, text_config, path, position_ids_fn, decoder=None):
    """position_ids_fn(batch, seq, past) -> a dummy position_ids tensor and its dynamic axes (text: [b, s]; M-RoPE: [3, b, s]).
    With position_ids_fn None, `decoder` is a module called as (inputs_embeds, attention_mask, *past) that computes the
    positions itself; the graph then has no position_ids input."""
    layers = text_config.num_hidden_layers
    kv_heads = text_config.num_key_value_heads
    head_dim = getattr(text_config, "head_dim", None) or text_config.hidden_size // text_config.num_attention_heads
    batch, seq, past = 2, 3, 2
    embeds = torch.randn(batch, seq, text_config.hidden_size)
    mask = torch.ones(batch, past + seq, dtype=torch.long)
    past_tensors, names, axes = [], [], {}
    for i in range(layers):
        for kind in ("key", "value"):
            name = f"past_key_values.{i}.{kind}"
            past_tensors.append(torch.randn(batch, kv_heads, past, head_dim))
            names.append(name)
            axes[name] = {0: "batch_size", 2: "past_sequence_length"}
            axes[f"present.{i}.{kind}"] = {0: "batch_size", 2: "total_sequence_length"}
    outputs = ["logits"] + [f"present.{i}.{k}" for i in range(layers) for k in ("key", "value")]
    axes.update(
        {
            "inputs_embeds": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
            "logits": {0: "batch_size", 1: "sequence_length"},
        }
    )
    if position_ids_fn is None:
        export(decoder, (embeds, mask, *past_tensors), path, ["inputs_embeds", "attention_mask", *names], outputs, axes)
        return
    position_ids, axes["position_ids"] = position_ids_fn(batch, seq, past)
    export(
        DecoderWithCache(language_model, lm_head, layers), (embeds, mask, position_ids, *past_tensors), path,
        ["inputs_embeds", "attention_mask", "position_ids", *names], outputs, axes,
    )
