# The trainer's scaling benchmark where there is no Node (a GPU machine with PyTorch only): builds a random
# Qwen2-shaped base and one SFT job folder, runs train.py on it alone and as 2, 4, 8 … torchrun ranks (NCCL on CUDA,
# gloo on CPU) with the same global batch, and prints tokens/s, ms per step and the speed-up as one JSON document
# (`npm run bench -- --suite trainer-scale` is the same measure on 1 and 2 processes, from Node).
# Usage: /usr/bin/python3 src/trainer/worker/scale_bench.py --out DIR [--ranks 1,2,4,8] [--hidden 1024 --layers 8]
import argparse
import json
import os
import shutil
import subprocess
import sys

import torch

from model import DecoderConfig
from pretrain import initialized_model
from safetensors_io import write_safetensors

HERE = os.path.dirname(os.path.abspath(__file__))
ALL_MODULES = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']


def write_base(folder, hidden, layers, vocab):
    """A random base model folder (config.json, model.safetensors) the worker loads like any HF Qwen2 folder."""
    heads = max(1, hidden // 64)
    config = {'model_type': 'qwen2', 'architectures': ['Qwen2ForCausalLM'], 'hidden_size': hidden,
              'intermediate_size': 4 * hidden, 'num_hidden_layers': layers, 'num_attention_heads': heads,
              'num_key_value_heads': heads, 'vocab_size': vocab, 'max_position_embeddings': 4096,
              'rms_norm_eps': 1e-6, 'rope_theta': 10000.0, 'tie_word_embeddings': True, 'torch_dtype': 'float32'}
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, 'config.json'), 'w', encoding='utf-8') as handle:
        json.dump(config, handle)
    torch.manual_seed(0)
    model = initialized_model(DecoderConfig(config))
    weights = {name: tensor.detach().numpy() for name, tensor in model.state_dict().items()}
    write_safetensors(os.path.join(folder, 'model.safetensors'), weights, {'format': 'pt'})


def write_job(folder, base, args, device):
    """One SFT job: `steps` optimizer steps of `batch` packed rows of `seq_len` tokens, LoRA on every projection."""
    os.makedirs(folder, exist_ok=True)
    examples = []
    for row in range(args.batch * args.steps):
        ids = [(row * 7919 + i * 104729) % args.vocab for i in range(args.seq_len)]
        examples.append({'input_ids': ids, 'loss_mask': [0 if i < args.seq_len // 4 else 1 for i in range(args.seq_len)]})
    with open(os.path.join(folder, 'tokens.json'), 'w', encoding='utf-8') as handle:
        json.dump({'examples': examples}, handle)
    job = {'base_model_dir': base, 'method': 'sft', 'r': args.r, 'alpha': 2 * args.r, 'dropout': 0.0,
           'target_modules': ALL_MODULES, 'epochs': 1, 'lr': 1e-4, 'batch_size': args.batch, 'grad_accum': 1,
           'max_seq_len': args.seq_len, 'seed': 0, 'checkpoint_every': 1_000_000, 'threads': args.threads,
           'device': device, 'gradient_checkpointing': False, 'dependencies': []}
    with open(os.path.join(folder, 'job.json'), 'w', encoding='utf-8') as handle:
        json.dump(job, handle)


def run_ranks(job_dir, ranks, threads):
    """train.py alone (1) or under torchrun on this host; returns its `done` event, or raises with its last words."""
    train = [os.path.join(HERE, 'train.py'), '--job-dir', job_dir]
    launch = [os.path.join(HERE, 'torchrun.py'), '--standalone', f'--nproc_per_node={ranks}'] if ranks > 1 else []
    env = {**os.environ, 'OMP_NUM_THREADS': str(threads), 'PYTHONUNBUFFERED': '1'}
    result = subprocess.run([sys.executable, *launch, *train], capture_output=True, text=True, env=env, check=False)
    events = [json.loads(line) for line in result.stdout.splitlines() if line.startswith('{')]
    done = next((event for event in events if event.get('event') == 'done'), None)
    if done is None:
        failed = next((event['message'] for event in events if event.get('event') == 'failed'), None)
        raise RuntimeError(f'{ranks} rank(s) failed: {failed or result.stderr.strip().splitlines()[-1:]}')
    return done


def main():
    parser = argparse.ArgumentParser(description='Tokens/s of the training worker on 1, 2, 4, 8 … ranks.')
    parser.add_argument('--out', required=True, help='scratch folder (the base and job folders), replaced')
    parser.add_argument('--ranks', default='1,2,4,8', help='comma-separated process counts')
    for flag, kind, default in (('--hidden', int, 1024), ('--layers', int, 8), ('--vocab', int, 32000),
                                ('--seq-len', int, 512), ('--batch', int, 16), ('--steps', int, 20), ('--r', int, 16),
                                ('--threads', int, 1)):
        parser.add_argument(flag, type=kind, default=default, help=f'default {default}')
    args = parser.parse_args()
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    counts = [int(count) for count in args.ranks.split(',')]
    if device == 'cuda':
        counts = [count for count in counts if count <= torch.cuda.device_count()]
    shutil.rmtree(args.out, ignore_errors=True)
    base = os.path.join(args.out, 'base')
    write_base(base, args.hidden, args.layers, args.vocab)
    rows = []
    for ranks in counts:
        job_dir = os.path.join(args.out, f'job-{ranks}')
        write_job(job_dir, base, args, device)
        done = run_ranks(job_dir, ranks, args.threads)
        rows.append({'ranks': ranks, 'tokens_per_s': done['tokens_per_s'],
                     'ms_per_step': round(1000 * done['train_seconds'] / done['steps'], 1),
                     'final_loss': done['final_loss'], 'peak_memory_mib': round(done['peak_memory_bytes'] / 2 ** 20)})
        print(f'{ranks} rank(s) on {device}: {done["tokens_per_s"]} tokens/s', file=sys.stderr, flush=True)
    one = rows[0]['tokens_per_s']
    for row in rows:
        row['speed_up'] = round(row['tokens_per_s'] / one, 2) if one else None
    settings = {key: getattr(args, key) for key in ('hidden', 'layers', 'vocab', 'seq_len', 'batch', 'steps', 'r')}
    print(json.dumps({'device': device, 'gpus': torch.cuda.device_count(), 'torch': torch.__version__,
                      'backend': 'nccl' if device == 'cuda' else 'gloo', 'settings': settings, 'rows': rows}, indent=2))


if __name__ == '__main__':
    main()
