"""A key/value cache that traces to plain ONNX ops: the past tensors come in as graph inputs, the
concatenated tensors go out as `present.*` outputs. Implements the two methods transformers' attention
layers call (update, get_seq_length), so the model's own attention code runs unchanged."""
import torch


class TracingKVCache:
    is_compileable = False

    def __init__(self, past_keys, past_values):
        self.keys = list(past_keys)
        self.values = list(past_values)

    def update(self, key_states, value_states, layer_idx, cache_kwargs=None):
        self.keys[layer_idx] = torch.cat([self.keys[layer_idx], key_states], dim=-2)
        self.values[layer_idx] = torch.cat([self.values[layer_idx], value_states], dim=-2)
        return self.keys[layer_idx], self.values[layer_idx]

    def get_seq_length(self, layer_idx=0):
        return self.keys[layer_idx].shape[-2]

    def get_mask_sizes(self, *args, **kwargs):  # not reached: the mask is passed in 4D
        raise NotImplementedError

    @property
    def is_sliding(self):
        return [False] * len(self.keys)

    def __len__(self):
        return len(self.keys)


def additive_causal_mask(attention_mask, query_length, dtype):
    """[b, total] 0/1 padding mask -> [b, 1, q, total] additive mask: causal over the last q positions and no padding."""
    total = attention_mask.shape[1]
    past = total - query_length
    q_pos = torch.arange(query_length, device=attention_mask.device).unsqueeze(1) + past
    k_pos = torch.arange(total, device=attention_mask.device).unsqueeze(0)
    allowed = (k_pos <= q_pos).unsqueeze(0) & (attention_mask[:, None, :] > 0)
    zero = torch.zeros((), dtype=dtype)
    low = torch.full((), torch.finfo(dtype).min, dtype=dtype)
    return torch.where(allowed, zero, low).unsqueeze(1)
