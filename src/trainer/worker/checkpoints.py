# Training checkpoints: one file per save, checkpoint-<step>.pt (adapter tensors, optimizer and schedule
# state, RNG state), written to a temp file and renamed, so a killed worker always leaves a complete one
# behind and the file name alone tells the service which step a job will resume from.
import glob
import os
import re

import torch

from lora import adapter_state, load_adapter_state

_CHECKPOINT_NAME = re.compile(r'^checkpoint-(\d+)\.pt$')


def _checkpoints(job_dir):
    """Complete checkpoint files of a job folder, oldest first."""
    found = []
    for path in glob.glob(os.path.join(job_dir, 'checkpoint-*.pt')):
        match = _CHECKPOINT_NAME.match(os.path.basename(path))
        if match:
            found.append((int(match.group(1)), path))
    return [path for _, path in sorted(found)]


def save_checkpoint(job_dir, model, adapter_key, optimizer, scheduler, step, history):
    path = os.path.join(job_dir, f'checkpoint-{step:08d}.pt')
    temp_path = os.path.join(job_dir, f'.checkpoint.tmp-{os.getpid()}')
    state = {
        'step': step,
        'adapter': {name: torch.from_numpy(array) for name, array in adapter_state(model, adapter_key).items()},
        'optimizer': optimizer.state_dict(),
        'scheduler': scheduler.state_dict(),
        'torch_rng': torch.random.get_rng_state(),
        'cuda_rng': torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
        'history': history,
    }
    torch.save(state, temp_path)
    os.replace(temp_path, path)
    for older in _checkpoints(job_dir)[:-1]:
        try:
            os.unlink(older)
        except FileNotFoundError:
            pass  # already removed by a worker that was stopping
    return path


def read_checkpoint(job_dir):
    """The newest checkpoint of a job folder, or None."""
    existing = _checkpoints(job_dir)
    return torch.load(existing[-1], map_location='cpu') if existing else None


def restore_checkpoint(state, model, adapter_key, optimizer, scheduler):
    """Restores a checkpoint read by read_checkpoint; returns (step, history), or (0, None) when there was none."""
    if state is None:
        return 0, None
    load_adapter_state(model, adapter_key, {name: tensor.numpy() for name, tensor in state['adapter'].items()})
    optimizer.load_state_dict(state['optimizer'])
    scheduler.load_state_dict(state['scheduler'])
    torch.random.set_rng_state(state['torch_rng'])
    if state['cuda_rng'] is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state['cuda_rng'])
    return state['step'], state['history']
