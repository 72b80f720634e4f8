# LoRA on the decoder's linear projections: several adapters per module (frozen dependencies plus the one
# being trained), each y += scale * B(A(dropout(x))), exported and imported under PEFT tensor names.
import contextlib
import math
import re

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

TARGETABLE_MODULES = ('q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj')
PEFT_PREFIX = 'base_model.model.'
_PEFT_NAME = re.compile(r'^base_model\.model\.(model\.layers\.\d+\.(?:self_attn|mlp)\.(\w+))\.lora_([AB])\.weight$')


class LoraError(ValueError):
    """An adapter that does not fit the model (unknown module, wrong shape, missing tensor)."""


class LoraBranch(nn.Module):
    """One adapter's low-rank update on one projection: scale * B(A(dropout(x)))."""

    def __init__(self, in_features, out_features, r, scale, dropout):
        super().__init__()
        self.lora_A = nn.Linear(in_features, r, bias=False)
        self.lora_B = nn.Linear(r, out_features, bias=False)
        nn.init.kaiming_uniform_(self.lora_A.weight, a=math.sqrt(5))
        nn.init.zeros_(self.lora_B.weight)
        self.scale = scale
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.enabled = True

    def forward(self, x):
        return self.lora_B(self.lora_A(self.dropout(x))) * self.scale


class LoraLinear(nn.Linear):
    """An nn.Linear (same weight/bias keys) that adds the enabled adapters' branches to its output."""

    def __init__(self, base):
        super().__init__(base.in_features, base.out_features, bias=base.bias is not None)
        self.weight = base.weight
        self.bias = base.bias
        self.adapters = nn.ModuleDict()

    def forward(self, x):
        out = F.linear(x, self.weight, self.bias)
        for branch in self.adapters.values():
            if branch.enabled:
                out = out + branch(x)
        return out


def _check_key(key):
    """Adapter keys become submodule names: they must be identifiers that nn.Module does not already use."""
    if not key.isidentifier() or hasattr(nn.Module, key):
        raise LoraError(f'adapter key {key!r} must be an identifier unused by nn.Module (e.g. expert, dependency_0)')


def _lora_module(model, path):
    """The projection at `path` (e.g. model.layers.0.self_attn.q_proj), turned into a LoraLinear if needed."""
    parent_path, _, child = path.rpartition('.')
    try:
        parent = model.get_submodule(parent_path)
        module = getattr(parent, child)
    except AttributeError:
        raise LoraError(f'the model has no module {path}') from None
    if not isinstance(module, nn.Linear):
        raise LoraError(f'{path} is not a linear projection')
    if not isinstance(module, LoraLinear):
        module = LoraLinear(module)
        setattr(parent, child, module)
    return module


def target_paths(model, target_modules):
    """Module paths for the chosen projection names in every layer; unknown names are an error."""
    unknown = [name for name in target_modules if name not in TARGETABLE_MODULES]
    if unknown:
        raise LoraError(f'unknown target module {unknown[0]!r} (choose from {", ".join(TARGETABLE_MODULES)})')
    if not target_modules:
        raise LoraError('target_modules is empty')
    paths = []
    for layer_index in range(len(model.model.layers)):
        for name in target_modules:
            group = 'mlp' if name in ('gate_proj', 'up_proj', 'down_proj') else 'self_attn'
            paths.append(f'model.layers.{layer_index}.{group}.{name}')
    return paths


def add_trainable_adapter(model, key, r, alpha, dropout, target_modules, seed):
    """Adds a freshly initialised adapter (A random, B zero, like PEFT) on the chosen projections of every
    layer and returns its parameters, the only ones that require grad."""
    _check_key(key)
    if r <= 0:
        raise LoraError(f'r must be positive, got {r}')
    generator_state = torch.random.get_rng_state()
    torch.manual_seed(seed)
    parameters = []
    for path in target_paths(model, target_modules):
        module = _lora_module(model, path)
        branch = LoraBranch(module.in_features, module.out_features, r, alpha / r, dropout).to(module.weight.device)
        module.adapters[key] = branch
        parameters.extend(branch.parameters())
    torch.random.set_rng_state(generator_state)
    return parameters


def add_frozen_adapter(model, key, tensors, r, alpha, source, weight=1.0):
    """Loads a PEFT adapter (dict of PEFT tensor name -> numpy array) as a frozen, enabled adapter."""
    _check_key(key)
    by_module = {}
    for name, array in tensors.items():
        match = _PEFT_NAME.match(name)
        if not match:
            raise LoraError(f'{source}: tensor {name} is not a PEFT LoRA tensor name')
        by_module.setdefault(match.group(1), {})[match.group(3)] = array
    for path, parts in sorted(by_module.items()):
        if set(parts) != {'A', 'B'}:
            raise LoraError(f'{source}: {path} has lora_{"A" if "A" in parts else "B"} without its pair')
        module = _lora_module(model, path)
        lora_a, lora_b = parts['A'], parts['B']
        if lora_a.shape != (r, module.in_features) or lora_b.shape != (module.out_features, r):
            raise LoraError(f'{source}: {path} has lora_A {list(lora_a.shape)} / lora_B {list(lora_b.shape)}, '
                            f'expected [{r}, {module.in_features}] / [{module.out_features}, {r}]')
        branch = LoraBranch(module.in_features, module.out_features, r, weight * alpha / r, 0.0)
        branch.lora_A.weight.data.copy_(torch.from_numpy(np.asarray(lora_a, dtype=np.float32)))
        branch.lora_B.weight.data.copy_(torch.from_numpy(np.asarray(lora_b, dtype=np.float32)))
        branch.requires_grad_(False)
        module.adapters[key] = branch.to(module.weight.device)


def _branches(model, key):
    return [module.adapters[key] for module in model.modules() if isinstance(module, LoraLinear) and key in module.adapters]


def set_adapter_enabled(model, key, enabled):
    """Switches one adapter on or off on every projection it sits on."""
    for branch in _branches(model, key):
        branch.enabled = enabled


def set_adapter_weight(model, key, weight, r, alpha):
    """Scales one frozen adapter's update by `weight` (as the runtime's name:weight) on every projection."""
    for branch in _branches(model, key):
        branch.scale = weight * alpha / r


@contextlib.contextmanager
def adapters_switched(model, states):
    """Runs the body with the adapters in `states` ({key: enabled}) switched as given, e.g. the DPO reference
    policy; other adapters keep their state, and every switched one gets its previous state back afterwards."""
    previous = [(branch, branch.enabled) for key in states for branch in _branches(model, key)]
    for key, enabled in states.items():
        set_adapter_enabled(model, key, enabled)
    try:
        yield
    finally:
        for branch, enabled in previous:
            branch.enabled = enabled


def adapter_state(model, key):
    """The adapter's tensors under PEFT names, as float32 numpy arrays."""
    state = {}
    for path, module in model.named_modules():
        if isinstance(module, LoraLinear) and key in module.adapters:
            branch = module.adapters[key]
            state[f'{PEFT_PREFIX}{path}.lora_A.weight'] = branch.lora_A.weight.detach().float().cpu().numpy()
            state[f'{PEFT_PREFIX}{path}.lora_B.weight'] = branch.lora_B.weight.detach().float().cpu().numpy()
    return state


def load_adapter_state(model, key, tensors, source='checkpoint'):
    """Sets a trainable adapter's tensors in place to exactly `tensors` (PEFT names, as from adapter_state),
    e.g. when resuming or when starting from an existing adapter; `tensors` must cover it and nothing else."""
    expected = set()
    for path, module in model.named_modules():
        if isinstance(module, LoraLinear) and key in module.adapters:
            branch = module.adapters[key]
            for part, linear in (('A', branch.lora_A), ('B', branch.lora_B)):
                name = f'{PEFT_PREFIX}{path}.lora_{part}.weight'
                expected.add(name)
                if name not in tensors:
                    raise LoraError(f'{source} lacks {name}')
                if tuple(tensors[name].shape) != tuple(linear.weight.shape):
                    raise LoraError(f'{source}: {name} has shape {list(tensors[name].shape)}, expected {list(linear.weight.shape)}')
                linear.weight.data.copy_(torch.from_numpy(np.asarray(tensors[name], dtype=np.float32)))
    extra = sorted(set(tensors) - expected)
    if extra:
        raise LoraError(f'{source}: tensor {extra[0]} is not part of the adapter being trained')
