# Held-out language-model loss of a base model folder: mean next-token cross-entropy over non-overlapping
# windows of a token file (uint16) or a JSON list of token ids; prints one JSON line {loss, perplexity, ...}.
import argparse
import json
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F

from model import ModelConfigError, load_base_model


def evenly_spaced_windows(tokens, seq_len, max_windows):
    """Up to max_windows non-overlapping windows of seq_len + 1 tokens, spread evenly over the tokens."""
    available = (len(tokens) - 1) // seq_len
    if available < 1:
        raise ModelConfigError(f'{len(tokens)} tokens are too few for one window of {seq_len} + 1')
    picks = np.linspace(0, available - 1, num=min(available, max_windows)).round().astype(int)
    return [tokens[pick * seq_len: pick * seq_len + seq_len + 1] for pick in sorted(set(picks.tolist()))]


@torch.no_grad()
def heldout_loss(model, tokens, seq_len, max_windows, batch_size=8):
    """Mean cross-entropy (nats per token) over the windows, and how many tokens were scored."""
    windows = torch.tensor(np.stack(evenly_spaced_windows(tokens, seq_len, max_windows)), dtype=torch.long)
    total, count = 0.0, 0
    for begin in range(0, len(windows), batch_size):
        batch = windows[begin:begin + batch_size]
        logits = model(batch[:, :-1])
        losses = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), batch[:, 1:].reshape(-1), reduction='sum')
        total += float(losses)
        count += batch[:, 1:].numel()
    return total / count, count


def read_token_input(path):
    if path.endswith('.json'):
        with open(path, encoding='utf-8') as handle:
            return np.asarray(json.load(handle), dtype=np.int64)
    return np.fromfile(path, dtype='<u2').astype(np.int64)


def main():
    parser = argparse.ArgumentParser(description='Held-out loss of an HF base model folder on a token file.')
    parser.add_argument('--model-dir', required=True)
    parser.add_argument('--tokens', required=True, help='uint16 little-endian token file, or a .json list of ids')
    parser.add_argument('--seq-len', type=int, default=256)
    parser.add_argument('--max-windows', type=int, default=96)
    parser.add_argument('--threads', type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    try:
        model, _ = load_base_model(args.model_dir)
        model.eval()
        loss, scored = heldout_loss(model, read_token_input(args.tokens), args.seq_len, args.max_windows)
    except (ModelConfigError, OSError, ValueError) as error:
        print(json.dumps({'error': str(error).split('\n')[0]}))
        sys.exit(1)
    print(json.dumps({'loss': loss, 'perplexity': math.exp(loss), 'tokens': scored, 'seq_len': args.seq_len}))


if __name__ == '__main__':
    main()
