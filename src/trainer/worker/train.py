# Worker entry: trains one LoRA expert (SFT or DPO) described by <job dir>/job.json on the tokenized
# examples in <job dir>/tokens.json, reporting progress as JSON lines on stdout (see events.py); alone, or as
# one of torchrun's ranks on one or several hosts (ranks.py: the same global batches, gradients summed across
# ranks, the first rank of each host reports).
# Usage: /usr/bin/python3 src/trainer/worker/train.py --job-dir DIR
#        torchrun --nproc_per_node N src/trainer/worker/train.py --job-dir DIR
import argparse
import contextlib
import json
import math
import os
import resource
import sys
import time
import traceback

import numpy as np
import torch

from batches import DatasetError, dpo_batch, dpo_pairs, pack_sft_examples, sft_batch
from checkpoints import read_checkpoint, restore_checkpoint, save_checkpoint
from events import emit
from lora import (LoraError, adapter_state, add_frozen_adapter, add_trainable_adapter, load_adapter_state,
                  set_adapter_enabled, set_adapter_weight, adapters_switched)
from model import ModelConfigError, load_base_model
from objectives import dpo_loss, sft_loss
from ranks import JobMismatch, PeerLost, Ranks, job_fingerprint, prefix_log_lines
from safetensors_io import SafetensorsError, read_safetensors, write_safetensors

ADAPTER_KEY = 'expert'
INIT_REFERENCE_KEY = 'init_reference'


def pick_device(preference):
    if preference == 'cuda' and not torch.cuda.is_available():
        raise ModelConfigError('device cuda was requested but torch sees no CUDA device')
    if preference == 'auto':
        return 'cuda' if torch.cuda.is_available() else 'cpu'
    return preference


def cosine_with_warmup(warmup_steps, total_steps):
    """LR multiplier: linear warmup over warmup_steps, then cosine decay to 0 at total_steps."""
    def multiplier(step):
        if step < warmup_steps:
            return (step + 1) / warmup_steps
        progress = (step - warmup_steps) / max(1, total_steps - warmup_steps)
        return 0.5 * (1.0 + math.cos(math.pi * min(1.0, progress)))
    return multiplier


def peak_memory_bytes(device):
    if device == 'cuda':
        return int(torch.cuda.max_memory_allocated())
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


class Trainer:
    """Holds the model, data and optimizer of one job and runs its steps."""

    def __init__(self, job, job_dir):
        self.job, self.job_dir = job, job_dir
        torch.set_num_threads(int(job.get('threads', 1)))
        torch.manual_seed(job['seed'])
        preferred = pick_device(job.get('device', 'auto'))
        self.ranks = Ranks(preferred)
        self.processes = self.ranks.start(job_fingerprint(job, job_dir))
        self.device = self.ranks.device(preferred)
        self.model, _ = load_base_model(job['base_model_dir'], self.device)
        for index, dependency in enumerate(job.get('dependencies', [])):
            tensors, _ = read_safetensors(dependency['weights'])
            add_frozen_adapter(self.model, f'dependency_{index}', tensors, dependency['r'], dependency['alpha'],
                               dependency['name'], dependency.get('weight', 1.0))
        self.stack = job.get('stack', [])
        for index, expert in enumerate(self.stack):
            tensors, _ = read_safetensors(expert['weights'])
            add_frozen_adapter(self.model, f'stack_{index}', tensors, expert['r'], expert['alpha'], expert['name'])
        self.parameters = add_trainable_adapter(self.model, ADAPTER_KEY, job['r'], job['alpha'], job['dropout'],
                                                job['target_modules'], job['seed'])
        self.reference_key = self._start_from_init_adapter(job.get('init_adapter'))
        self.model.gradient_checkpointing = self.device == 'cuda' and bool(job.get('gradient_checkpointing', False))
        self.autocast = (lambda: torch.autocast('cuda', dtype=torch.bfloat16)) if self.device == 'cuda' else contextlib.nullcontext
        self.train_units, self.eval_units = self._load_units()
        self.micro_per_epoch = math.ceil(len(self.train_units) / job['batch_size'])
        self.steps_per_epoch = math.ceil(self.micro_per_epoch / job['grad_accum'])
        self.total_steps = self.steps_per_epoch * job['epochs']
        if job.get('max_steps'):
            self.total_steps = min(self.total_steps, job['max_steps'])
        warmup = job.get('warmup_steps')
        if warmup is None:
            warmup = max(1, round(0.1 * self.total_steps))
        self.optimizer = torch.optim.AdamW(self.parameters, lr=job['lr'], weight_decay=job.get('weight_decay', 0.0))
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(self.optimizer, cosine_with_warmup(warmup, self.total_steps))

    def _start_from_init_adapter(self, init):
        """Sets the trainable adapter to the init adapter's weights (job folder copy, see job-preparation.ts).
        For dpo also adds a frozen copy, switched off except in the reference pass, so the reference policy
        is the init model (e.g. the SFT expert). Returns that copy's key, or None."""
        if not init:
            return None
        tensors, _ = read_safetensors(os.path.join(self.job_dir, init['weights']))
        source = f"init adapter {init['name']}@{init['version']}"
        load_adapter_state(self.model, ADAPTER_KEY, tensors, source)
        if self.job['method'] != 'dpo':
            return None
        add_frozen_adapter(self.model, INIT_REFERENCE_KEY, tensors, self.job['r'], self.job['alpha'], source)
        set_adapter_enabled(self.model, INIT_REFERENCE_KEY, False)
        return INIT_REFERENCE_KEY

    def _load_units(self):
        with open(os.path.join(self.job_dir, 'tokens.json'), encoding='utf-8') as handle:
            examples = json.load(handle)['examples']
        if self.job['method'] == 'dpo':
            units = dpo_pairs(examples, self.job['max_seq_len'])
        else:
            units = pack_sft_examples(examples, self.job['max_seq_len'])
        eval_count = int(len(units) * float(self.job.get('eval_fraction', 0.0)))
        if eval_count == 0:
            return units, []
        order = np.random.RandomState(self.job['seed']).permutation(len(units))
        return [units[i] for i in order[eval_count:]], [units[i] for i in order[:eval_count]]

    def _batch(self, units):
        return dpo_batch(units, self.device) if self.job['method'] == 'dpo' else sft_batch(units, self.device)

    def _loss(self, batch):
        with self.autocast():
            if self.job['method'] == 'dpo':
                return dpo_loss(self.model, batch, ADAPTER_KEY, float(self.job.get('beta', 0.1)), self.reference_key)
            loss, _ = sft_loss(self.model, batch)
            return loss, {}

    def _weight(self, units):
        """What a micro-batch's loss is the mean over: response tokens (sft) or pairs (dpo)."""
        if not units:
            return 0
        if self.job['method'] == 'dpo':
            return len(units)
        return sum(sum(mask[1:]) for row in units for _, mask in row)  # as sft_batch's target_weights

    def _step_units(self, step):
        """The micro-batches of units for one optimizer step; the order is fixed per epoch by the seed."""
        epoch, step_in_epoch = divmod(step, self.steps_per_epoch)
        order = np.random.RandomState(self.job['seed'] + 1 + epoch).permutation(len(self.train_units))
        size = self.job['batch_size']
        first = step_in_epoch * self.job['grad_accum']
        last = min(first + self.job['grad_accum'], self.micro_per_epoch)
        return [[self.train_units[i] for i in order[k * size:(k + 1) * size]] for k in range(first, last)]

    def _sample_stack(self, step):
        """Stack dropout: for this step each stack expert is left out with probability stack_dropout (unless an
        expert kept needs it), and each gets a weight drawn uniformly from stack_weight_range; seeded per step,
        so a resumed job draws the same. Returns how many are active."""
        rng = np.random.RandomState((self.job['seed'] * 1_000_003 + step) % (2 ** 32))
        low, high = self.job.get('stack_weight_range', [0.5, 1.5])
        drawn = [(bool(rng.rand() >= float(self.job.get('stack_dropout', 0.5))), float(rng.uniform(low, high))) for _ in self.stack]
        enabled = {expert['name'] for expert, (kept, _) in zip(self.stack, drawn) if kept}
        while True:  # an enabled expert brings its requirements, as loading it would
            closed = enabled | {name for expert in self.stack if expert['name'] in enabled for name in expert.get('requires', [])}
            if closed == enabled:
                break
            enabled = closed
        for index, (expert, (_, weight)) in enumerate(zip(self.stack, drawn)):
            set_adapter_enabled(self.model, f'stack_{index}', expert['name'] in enabled)
            set_adapter_weight(self.model, f'stack_{index}', weight, expert['r'], expert['alpha'])
        return len(enabled)

    def train_step(self, step):
        """One optimizer step (gradient accumulation over micro-batches); returns (loss, tokens, metrics, and each
        rank's [tokens, seconds] of its own share)."""
        self.model.train()
        began = time.perf_counter()
        stack_active = self._sample_stack(step) if self.stack else None
        micro_batches = self._step_units(step)
        total_loss, tokens, metrics = 0.0, 0, {}
        for units in micro_batches:
            # This rank's share, weighted so that the ranks' gradients sum to the whole micro-batch's mean.
            mine = self.ranks.shard(units)
            share = self._weight(mine) / max(self._weight(units), 1e-12) if mine else 0.0
            loss_here, metrics_here = 0.0, {}
            if mine:
                batch = self._batch(mine)
                loss, metrics_here = self._loss(batch)
                (loss * share / len(micro_batches)).backward()
                loss_here = float(loss.item()) * share
                tokens += int((batch['segment_ids'] > 0).sum().item())
            total_loss += loss_here / len(micro_batches)
            metrics = {name: metrics_here.get(name, 0.0) * share for name in self._metric_names()}
        # One exchange per step: the loss, the tokens and the last micro-batch's metrics, summed over the ranks, and
        # each rank's own tokens and seconds.
        own = [tokens, time.perf_counter() - began]
        (total_loss, tokens, *values), per_rank = self.ranks.totals([total_loss, tokens, *metrics.values()], own)
        tokens, metrics = int(tokens), dict(zip(metrics, values))
        self.ranks.sum_gradients(self.parameters)
        torch.nn.utils.clip_grad_norm_(self.parameters, float(self.job.get('max_grad_norm', 1.0)))
        self.optimizer.step()
        self.scheduler.step()
        self.optimizer.zero_grad(set_to_none=True)
        if stack_active is not None:
            metrics = {**metrics, 'stack_active': stack_active}
        return total_loss, tokens, metrics, per_rank

    def _metric_names(self):
        return ['reward_accuracy', 'reward_margin'] if self.job['method'] == 'dpo' else []

    def evaluate(self):
        """Mean eval loss and metrics on the expert's own stack (its dependencies; stack experts off)."""
        self.model.eval()
        size = self.job['batch_size']
        losses, metric_sums = [], {}
        stack_off = {f'stack_{index}': False for index in range(len(self.stack))}
        with torch.no_grad(), adapters_switched(self.model, stack_off):
            for start in range(0, len(self.eval_units), size):
                loss, metrics = self._loss(self._batch(self.eval_units[start:start + size]))
                losses.append(float(loss.item()))
                for name, value in metrics.items():
                    metric_sums[name] = metric_sums.get(name, 0.0) + value
        return float(np.mean(losses)), {name: value / len(losses) for name, value in metric_sums.items()}


def run(job, job_dir):
    trainer = Trainer(job, job_dir)
    try:
        train(trainer, job, job_dir)
    finally:
        trainer.ranks.close()


def train(trainer, job, job_dir):
    ranks = trainer.ranks
    leader = ranks.reporter
    report = emit if leader else (lambda *_, **__: None)
    # Rank 0's checkpoint for every rank: another node may have none, or an older one.
    state = ranks.from_first(read_checkpoint(job_dir) if ranks.rank == 0 else None)
    start_step, history = restore_checkpoint(state, trainer.model, ADAPTER_KEY, trainer.optimizer, trainer.scheduler)
    history = history or {'first_loss': None, 'losses': [], 'tokens': 0, 'seconds': 0.0}
    parent = os.getppid()
    if ranks.world > 1:  # each rank's first line in worker.log, so a rank that dies silently has one
        print(f'rank {ranks.rank} of {ranks.world} (node {ranks.node}, pid {os.getpid()}): training from step {start_step}',
              file=sys.stderr, flush=True)
    report('started', device=trainer.device, total_steps=trainer.total_steps, steps_per_epoch=trainer.steps_per_epoch,
         train_units=len(trainer.train_units), eval_units=len(trainer.eval_units), resumed_from_step=start_step,
         trainable_parameters=sum(p.numel() for p in trainer.parameters), ranks=ranks.world, node=ranks.node,
         rank_processes=trainer.processes)
    checkpoint_every = int(job.get('checkpoint_every', 50))
    eval_loss, eval_metrics = None, {}
    for step in range(start_step, trainer.total_steps):
        if os.getppid() != parent:
            sys.exit(3)  # the service died: stop instead of racing the one that resumes this job
        lr = trainer.optimizer.param_groups[0]['lr']
        began = time.perf_counter()
        loss, tokens, metrics, per_rank = trainer.train_step(step)
        seconds = time.perf_counter() - began
        history['first_loss'] = loss if history['first_loss'] is None else history['first_loss']
        history['losses'].append(loss)
        history['tokens'] += tokens
        history['seconds'] += seconds
        done_steps = step + 1
        eta = (trainer.total_steps - done_steps) * history['seconds'] / max(1, len(history['losses']))
        report('step', step=done_steps, epoch=round(done_steps / trainer.steps_per_epoch, 4), loss=loss, lr=lr, tokens=history['tokens'],
             tokens_per_s=round(tokens / seconds, 1) if seconds > 0 else None, eta_s=round(eta, 2), **metrics,
             **({'rank_tokens_per_s': [round(t / took, 1) if took > 0 else None for t, took in per_rank]}
                if ranks.world > 1 else {}))
        end_of_epoch = done_steps % trainer.steps_per_epoch == 0 or done_steps == trainer.total_steps
        if trainer.eval_units and end_of_epoch and leader:
            eval_loss, eval_metrics = trainer.evaluate()
            report('eval', step=done_steps, epoch=round(done_steps / trainer.steps_per_epoch, 4), loss=eval_loss, **eval_metrics)
        if done_steps % checkpoint_every == 0 and done_steps < trainer.total_steps and leader:
            save_checkpoint(job_dir, trainer.model, ADAPTER_KEY, trainer.optimizer, trainer.scheduler, done_steps, history)
            report('checkpoint', step=done_steps)
    if not leader:
        return
    output_dir = os.path.join(job_dir, 'output')
    os.makedirs(output_dir, exist_ok=True)
    write_safetensors(os.path.join(output_dir, 'adapter_model.safetensors'), adapter_state(trainer.model, ADAPTER_KEY),
                      {'format': 'pt'})
    emit('done', **final_metrics(trainer, history, eval_loss), **eval_metrics)


def final_metrics(trainer, history, eval_loss):
    """The done event's metrics; final_loss is the mean of the last (up to) three steps, to smooth batch noise."""
    last = history['losses'][-3:]
    seconds = history['seconds']
    return {'steps': trainer.total_steps, 'first_loss': history['first_loss'],
            'final_loss': float(np.mean(last)) if last else None, 'eval_loss': eval_loss, 'tokens': history['tokens'],
            'tokens_per_s': round(history['tokens'] / seconds, 1) if seconds > 0 else None,
            'train_seconds': round(seconds, 3), 'device': trainer.device, 'torch_version': torch.__version__,
            'peak_memory_bytes': peak_memory_bytes(trainer.device)}

def main():
    parser = argparse.ArgumentParser(description='Train one LoRA expert from a prepared job directory.')
    parser.add_argument('--job-dir', required=True)
    job_dir = parser.parse_args().job_dir
    sys.stderr = prefix_log_lines(sys.stderr)
    rank = {'rank': int(os.environ['RANK'])} if int(os.environ.get('WORLD_SIZE', '1')) > 1 else {}
    try:
        with open(os.path.join(job_dir, 'job.json'), encoding='utf-8') as handle:
            job = json.load(handle)
        run(job, job_dir)
    except BrokenPipeError:
        sys.exit(3)  # nobody reads our events any more (the service is gone)
    except PeerLost as error:
        emit('failed', message=str(error), peer_lost=True, **rank)
        sys.exit(1)
    except (DatasetError, LoraError, ModelConfigError, SafetensorsError, JobMismatch, OSError) as error:
        emit('failed', message=str(error).split('\n')[0], **rank)
        sys.exit(1)
    except Exception as error:  # a bug: say so on one line, keep the trace for the service log
        traceback.print_exc(file=sys.stderr)
        emit('failed', message=f'internal worker error: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ""}',
             **rank)
        sys.exit(1)


if __name__ == '__main__':
    main()
