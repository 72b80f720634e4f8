# Full-parameter causal-LM pre-training of a base model folder (config.json, random init) on a uint16 token
# file, for a wall-time budget: AdamW, warmup + cosine over the budget, grad clipping, resumable checkpoints,
# loss log as JSON lines; writes the final fp32 weights as model.safetensors into the run folder. Alone, or as
# torchrun's ranks (ranks.py): every rank draws the same windows and trains on its share of them, the gradients are
# summed, the ranks agree on each step's time (the slowest), so the schedule and the weights are one process's.
# Usage: /usr/bin/python3 pretrain.py --model-dir M --tokens T --run-dir R
#        /usr/bin/python3 torchrun.py --standalone --nproc_per_node N pretrain.py --model-dir M --tokens T --run-dir R
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from events import emit
from model import CausalLM, DecoderConfig, ModelConfigError
from ranks import PeerLost, Ranks, prefix_log_lines
from safetensors_io import write_safetensors

CHECKPOINT_FILE = 'pretrain-checkpoint.pt'
LOSS_LOG_FILE = 'loss.jsonl'
WEIGHTS_FILE = 'model.safetensors'
INIT_STD = 0.02
MIN_LR_FRACTION = 0.1
# The run's other settings: flag, type, default.
SETTINGS = (('--threads', int, 1), ('--seq-len', int, 256), ('--batch-size', int, 16), ('--lr', float, 3e-3),
            ('--warmup-steps', int, 50), ('--weight-decay', float, 0.1), ('--clip', float, 1.0),
            ('--checkpoint-minutes', float, 5.0), ('--report-every', int, 10), ('--seed', int, 0))


def read_tokens(path):
    tokens = np.fromfile(path, dtype='<u2').astype(np.int64)
    if tokens.size < 2:
        raise ModelConfigError(f'{path}: holds {tokens.size} tokens, too few to train on')
    return torch.from_numpy(tokens)


def initialized_model(config):
    """A CausalLM with HF's init: normal(0, 0.02) weights and embeddings, zero biases, unit norms."""
    model = CausalLM(config)
    for name, parameter in model.named_parameters():
        if name.endswith('layernorm.weight') or name == 'model.norm.weight':
            torch.nn.init.ones_(parameter)
        elif name.endswith('.bias'):
            torch.nn.init.zeros_(parameter)
        else:
            torch.nn.init.normal_(parameter, mean=0.0, std=INIT_STD)
    return model


def lr_multiplier(step, warmup_steps, progress):
    """Linear warmup over steps, then cosine over the fraction of the time budget used, down to 10%."""
    if step < warmup_steps:
        return (step + 1) / warmup_steps
    cosine = 0.5 * (1.0 + math.cos(math.pi * min(1.0, progress)))
    return MIN_LR_FRACTION + (1.0 - MIN_LR_FRACTION) * cosine


def random_windows(tokens, batch_size, seq_len, generator):
    """A batch of random contiguous windows: inputs and next-token targets, each [batch, seq_len]."""
    starts = torch.randint(0, tokens.numel() - seq_len - 1, (batch_size,), generator=generator)
    windows = torch.stack([tokens[start:start + seq_len + 1] for start in starts.tolist()])
    return windows[:, :-1], windows[:, 1:]


def optimizer_for(model, lr, weight_decay):
    """AdamW with weight decay on matrices only (not on norms, biases or the embedding)."""
    decayed, plain = [], []
    for name, parameter in model.named_parameters():
        (decayed if parameter.dim() == 2 and 'embed_tokens' not in name else plain).append(parameter)
    groups = [{'params': decayed, 'weight_decay': weight_decay}, {'params': plain, 'weight_decay': 0.0}]
    return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.95), eps=1e-8)


def save_checkpoint(run_dir, model, optimizer, state):
    path = os.path.join(run_dir, CHECKPOINT_FILE)
    temp_path = f'{path}.tmp-{os.getpid()}'
    torch.save({'model': model.state_dict(), 'optimizer': optimizer.state_dict(), **state}, temp_path)
    os.replace(temp_path, path)


def log_loss(run_dir, record):
    with open(os.path.join(run_dir, LOSS_LOG_FILE), 'a', encoding='utf-8') as handle:
        handle.write(json.dumps(record, separators=(',', ':')) + '\n')


def run(args, ranks):
    torch.set_num_threads(args.threads)
    device = ranks.device(args.device)
    os.makedirs(args.run_dir, exist_ok=True)
    config = DecoderConfig.from_folder(args.model_dir)
    tokens = read_tokens(args.tokens)
    if int(tokens.max()) >= config.vocab_size:
        raise ModelConfigError(f'{args.tokens}: token id {int(tokens.max())} is outside the vocabulary ({config.vocab_size})')
    torch.manual_seed(args.seed)
    model = initialized_model(config).to(device)
    optimizer = optimizer_for(model, args.lr, args.weight_decay)
    generator = torch.Generator().manual_seed(args.seed)
    state = {'step': 0, 'train_seconds': 0.0, 'tokens': 0, 'budget_seconds': args.minutes * 60.0}
    checkpoint_path = os.path.join(args.run_dir, CHECKPOINT_FILE)
    # Rank 0's checkpoint for every rank (another host may have none).
    saved = ranks.from_first(torch.load(checkpoint_path, map_location='cpu')
                             if ranks.rank == 0 and os.path.isfile(checkpoint_path) else None)
    if saved is not None:
        model.load_state_dict(saved.pop('model'))
        optimizer.load_state_dict(saved.pop('optimizer'))
        generator.set_state(saved.pop('generator'))
        state.update(saved)
        state['budget_seconds'] = max(state['budget_seconds'], args.minutes * 60.0)
    parameters = sum(p.numel() for p in model.parameters())
    report = emit if ranks.reporter else (lambda *_, **__: None)
    report('started', parameters=parameters, train_tokens=int(tokens.numel()), resumed_from_step=state['step'],
           budget_seconds=state['budget_seconds'], threads=args.threads, ranks=ranks.world, device=device)
    model.train()
    last_checkpoint = time.monotonic()
    while state['train_seconds'] < state['budget_seconds'] and not (args.max_steps and state['step'] >= args.max_steps):
        began = time.perf_counter()
        progress = state['train_seconds'] / state['budget_seconds']
        lr = args.lr * lr_multiplier(state['step'], args.warmup_steps, progress)
        for group in optimizer.param_groups:
            group['lr'] = lr
        inputs, targets = random_windows(tokens, args.batch_size, args.seq_len, generator)
        # This rank's rows of the batch every rank drew; its mean loss weighted by its share of the rows.
        mine = list(range(args.batch_size))[ranks.rank::ranks.world]
        share = len(mine) / args.batch_size
        optimizer.zero_grad(set_to_none=True)
        loss_here = 0.0
        if mine:
            logits = model(inputs[mine].to(device))
            loss = F.cross_entropy(logits.reshape(-1, config.vocab_size), targets[mine].to(device).reshape(-1))
            (loss * share).backward()
            loss_here = float(loss.item()) * share
        ranks.sum_gradients(list(model.parameters()))
        grad_norm = float(torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip))
        optimizer.step()
        # The batch's loss, and the step's time as the slowest rank took it: every rank keeps the same clock.
        (loss,), per_rank = ranks.totals([loss_here], [time.perf_counter() - began])
        state['step'] += 1
        state['tokens'] += inputs.numel()
        state['train_seconds'] += max(seconds for (seconds,) in per_rank)
        record = {'step': state['step'], 'tokens': state['tokens'], 'loss': round(float(loss), 5), 'lr': lr,
                  'grad_norm': round(grad_norm, 4), 'train_seconds': round(state['train_seconds'], 2)}
        if ranks.reporter:
            log_loss(args.run_dir, record)
        if state['step'] % args.report_every == 0:
            report('step', **record)
        if time.monotonic() - last_checkpoint >= args.checkpoint_minutes * 60 and ranks.reporter:
            save_checkpoint(args.run_dir, model, optimizer, {**state, 'generator': generator.get_state()})
            last_checkpoint = time.monotonic()
            emit('checkpoint', step=state['step'])
    if not ranks.reporter:
        return
    save_checkpoint(args.run_dir, model, optimizer, {**state, 'generator': generator.get_state()})
    weights = {name: tensor.detach().cpu().numpy() for name, tensor in model.state_dict().items()}
    write_safetensors(os.path.join(args.run_dir, WEIGHTS_FILE), weights, {'format': 'pt'})
    emit('done', steps=state['step'], tokens=state['tokens'], train_seconds=round(state['train_seconds'], 1),
         budget_seconds=state['budget_seconds'], parameters=parameters)


def main():
    parser = argparse.ArgumentParser(description='Pre-train a base model folder (config.json) on a uint16 token file.')
    parser.add_argument('--model-dir', required=True, help='folder with the config.json to build')
    parser.add_argument('--tokens', required=True, help='uint16 little-endian token file')
    parser.add_argument('--run-dir', required=True, help='checkpoints, loss.jsonl and model.safetensors go here')
    parser.add_argument('--minutes', type=float, default=60.0, help='training time budget (the LR schedule spans it)')
    parser.add_argument('--max-steps', type=int, default=0, help='stop after this many steps (0: only the budget)')
    parser.add_argument('--device', choices=['auto', 'cpu', 'cuda'], default='auto', help='default auto (CUDA if seen)')
    for flag, kind, default in SETTINGS:
        parser.add_argument(flag, type=kind, default=default, help=f'default {default}')
    args = parser.parse_args()
    if args.device == 'auto':
        args.device = 'cuda' if torch.cuda.is_available() else 'cpu'
    sys.stderr = prefix_log_lines(sys.stderr)
    ranks = None
    try:
        ranks = Ranks(args.device)
        run(args, ranks)
    except (ModelConfigError, OSError, PeerLost) as error:
        emit('failed', message=str(error).split('\n')[0], **({'rank': ranks.rank} if ranks and ranks.world > 1 else {}))
        sys.exit(1)
    finally:
        if ranks:
            ranks.close()


if __name__ == '__main__':
    main()
