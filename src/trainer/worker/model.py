# The Qwen2 / Llama decoder in PyTorch, exactly as HF computes it (RMSNorm in fp32, rotate_half RoPE,
# GQA, SiLU-gated MLP), with state_dict keys equal to the HF safetensors names so a base folder loads as-is.
import json
import math
import os

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.checkpoint import checkpoint

from safetensors_io import read_safetensors

SUPPORTED_ARCHITECTURES = {'qwen2': 'Qwen2ForCausalLM', 'llama': 'LlamaForCausalLM'}


class ModelConfigError(ValueError):
    """A base model folder whose config.json or weights cannot be used; the message says which field."""


class DecoderConfig:
    """The fields of an HF config.json that the decoder needs, validated."""

    def __init__(self, raw, source='config.json'):
        model_type = raw.get('model_type')
        if model_type not in SUPPORTED_ARCHITECTURES:
            raise ModelConfigError(f'{source}: model_type {model_type!r} is not supported (qwen2 or llama)')
        for field in ('hidden_size', 'intermediate_size', 'num_hidden_layers', 'num_attention_heads', 'vocab_size'):
            if not isinstance(raw.get(field), int) or raw[field] <= 0:
                raise ModelConfigError(f'{source}: {field} must be a positive integer')
        rope_scaling = raw.get('rope_scaling')
        if rope_scaling not in (None, {}) and rope_scaling.get('rope_type', rope_scaling.get('type')) != 'default':
            raise ModelConfigError(f'{source}: rope_scaling {rope_scaling!r} is not supported')
        self.model_type = model_type
        self.hidden_size = raw['hidden_size']
        self.intermediate_size = raw['intermediate_size']
        self.num_hidden_layers = raw['num_hidden_layers']
        self.num_attention_heads = raw['num_attention_heads']
        self.num_key_value_heads = raw.get('num_key_value_heads') or raw['num_attention_heads']
        self.head_dim = raw.get('head_dim') or self.hidden_size // self.num_attention_heads
        self.rms_norm_eps = float(raw.get('rms_norm_eps', 1e-6))
        self.rope_theta = float(raw.get('rope_theta', 10000.0))
        self.vocab_size = raw['vocab_size']
        self.tie_word_embeddings = bool(raw.get('tie_word_embeddings', False))
        self.attention_bias = bool(raw.get('attention_bias', model_type == 'qwen2'))
        self.mlp_bias = bool(raw.get('mlp_bias', False))
        if self.num_attention_heads % self.num_key_value_heads != 0:
            raise ModelConfigError(f'{source}: num_attention_heads must be a multiple of num_key_value_heads')
        self.raw = raw

    @classmethod
    def from_folder(cls, folder):
        path = os.path.join(folder, 'config.json')
        if not os.path.isfile(path):
            raise ModelConfigError(f'{folder}: no config.json (expected an HF model folder)')
        with open(path, encoding='utf-8') as handle:
            return cls(json.load(handle), path)


class RMSNorm(nn.Module):
    def __init__(self, size, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, hidden):
        input_dtype = hidden.dtype
        hidden = hidden.float()
        hidden = hidden * torch.rsqrt(hidden.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * hidden.to(input_dtype)


def rotary_cos_sin(position_ids, head_dim, theta, dtype):
    """cos and sin of shape [batch, seq, head_dim] for the rotate_half convention."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64, device=position_ids.device).float() / head_dim))
    freqs = position_ids.float()[..., None] * inv_freq
    angles = torch.cat((freqs, freqs), dim=-1)
    return angles.cos().to(dtype), angles.sin().to(dtype)


def rotate_half(x):
    first, second = x.chunk(2, dim=-1)
    return torch.cat((-second, first), dim=-1)


class Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        heads, kv_heads, head_dim = config.num_attention_heads, config.num_key_value_heads, config.head_dim
        self.q_proj = nn.Linear(config.hidden_size, heads * head_dim, bias=config.attention_bias)
        self.k_proj = nn.Linear(config.hidden_size, kv_heads * head_dim, bias=config.attention_bias)
        self.v_proj = nn.Linear(config.hidden_size, kv_heads * head_dim, bias=config.attention_bias)
        self.o_proj = nn.Linear(heads * head_dim, config.hidden_size, bias=False)

    def forward(self, hidden, cos, sin, mask):
        config = self.config
        batch, seq, _ = hidden.shape
        q = self.q_proj(hidden).view(batch, seq, config.num_attention_heads, config.head_dim).transpose(1, 2)
        k = self.k_proj(hidden).view(batch, seq, config.num_key_value_heads, config.head_dim).transpose(1, 2)
        v = self.v_proj(hidden).view(batch, seq, config.num_key_value_heads, config.head_dim).transpose(1, 2)
        cos, sin = cos[:, None], sin[:, None]
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        repeats = config.num_attention_heads // config.num_key_value_heads
        k = k.repeat_interleave(repeats, dim=1)
        v = v.repeat_interleave(repeats, dim=1)
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(config.head_dim)
        scores = scores.masked_fill(~mask[:, None], torch.finfo(scores.dtype).min)
        weights = torch.softmax(scores.float(), dim=-1).to(q.dtype)
        out = torch.matmul(weights, v).transpose(1, 2).reshape(batch, seq, -1)
        return self.o_proj(out)


class MLP(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.gate_proj = nn.Linear(config.hidden_size, config.intermediate_size, bias=config.mlp_bias)
        self.up_proj = nn.Linear(config.hidden_size, config.intermediate_size, bias=config.mlp_bias)
        self.down_proj = nn.Linear(config.intermediate_size, config.hidden_size, bias=config.mlp_bias)

    def forward(self, hidden):
        return self.down_proj(F.silu(self.gate_proj(hidden)) * self.up_proj(hidden))


class DecoderLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.input_layernorm = RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.self_attn = Attention(config)
        self.post_attention_layernorm = RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.mlp = MLP(config)

    def forward(self, hidden, cos, sin, mask):
        hidden = hidden + self.self_attn(self.input_layernorm(hidden), cos, sin, mask)
        return hidden + self.mlp(self.post_attention_layernorm(hidden))


class DecoderBody(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList(DecoderLayer(config) for _ in range(config.num_hidden_layers))
        self.norm = RMSNorm(config.hidden_size, config.rms_norm_eps)


def attention_mask(segment_ids):
    """Causal mask [batch, seq, seq] that also keeps packed sequences (different segment ids) apart.
    Every position sees at least itself, so softmax stays finite on padding too."""
    seq = segment_ids.shape[1]
    causal = torch.ones(seq, seq, dtype=torch.bool, device=segment_ids.device).tril()
    return causal[None] & (segment_ids[:, :, None] == segment_ids[:, None, :])


class CausalLM(nn.Module):
    """Qwen2ForCausalLM / LlamaForCausalLM: state_dict keys model.* and lm_head.weight (absent when tied)."""

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.model = DecoderBody(config)
        self.lm_head = None if config.tie_word_embeddings else nn.Linear(config.hidden_size, config.vocab_size, bias=False)
        self.gradient_checkpointing = False

    def output_weight(self):
        return self.model.embed_tokens.weight if self.lm_head is None else self.lm_head.weight

    def hidden_states(self, input_ids, position_ids=None, segment_ids=None):
        """Final normed hidden states [batch, seq, hidden]. position_ids restart at 0 for each packed segment."""
        batch, seq = input_ids.shape
        if position_ids is None:
            position_ids = torch.arange(seq, device=input_ids.device).expand(batch, seq)
        if segment_ids is None:
            segment_ids = torch.ones_like(input_ids)
        hidden = self.model.embed_tokens(input_ids)
        cos, sin = rotary_cos_sin(position_ids, self.config.head_dim, self.config.rope_theta, hidden.dtype)
        mask = attention_mask(segment_ids)
        for layer in self.model.layers:
            if self.gradient_checkpointing and self.training:
                hidden = checkpoint(layer, hidden, cos, sin, mask, use_reentrant=False)
            else:
                hidden = layer(hidden, cos, sin, mask)
        return self.model.norm(hidden)

    def forward(self, input_ids, position_ids=None, segment_ids=None):
        """Logits [batch, seq, vocab]."""
        return F.linear(self.hidden_states(input_ids, position_ids, segment_ids), self.output_weight())


def weight_files(folder):
    """The safetensors files of an HF folder: model.safetensors or the shards listed in its index."""
    single = os.path.join(folder, 'model.safetensors')
    if os.path.isfile(single):
        return [single]
    index_path = os.path.join(folder, 'model.safetensors.index.json')
    if os.path.isfile(index_path):
        with open(index_path, encoding='utf-8') as handle:
            shards = sorted(set(json.load(handle)['weight_map'].values()))
        return [os.path.join(folder, shard) for shard in shards]
    raise ModelConfigError(f'{folder}: no model.safetensors or model.safetensors.index.json')


def load_base_model(folder, device='cpu'):
    """Builds the decoder from an HF folder and loads its weights (fp32); every base parameter is frozen."""
    config = DecoderConfig.from_folder(folder)
    model = CausalLM(config)
    state = {}
    for path in weight_files(folder):
        tensors, _ = read_safetensors(path)
        state.update({name: torch.from_numpy(array.astype('float32', copy=False)) for name, array in tensors.items()})
    if config.tie_word_embeddings:
        state.pop('lm_head.weight', None)
    expected = set(model.state_dict().keys())
    missing = sorted(expected - set(state))
    unexpected = sorted(set(state) - expected)
    if missing:
        raise ModelConfigError(f'{folder}: weights lack {len(missing)} tensors, e.g. {missing[0]}')
    if unexpected:
        raise ModelConfigError(f'{folder}: weights hold unexpected tensors, e.g. {unexpected[0]}')
    for name, tensor in model.state_dict().items():
        if tuple(state[name].shape) != tuple(tensor.shape):
            raise ModelConfigError(f'{folder}: tensor {name} has shape {list(state[name].shape)}, config implies {list(tensor.shape)}')
    model.load_state_dict(state)
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    return model.to(device), config

