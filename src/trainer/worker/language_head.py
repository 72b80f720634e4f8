# Trains the language head of the language-id expert on features the runtime itself computed
# (language-feature-files-fs.ts): a bag embedding of tokens and hashed token pairs and triples, beside the base's pooled
# hidden states, into one hidden layer and a softmax over languages. Fits a temperature on a validation split,
# then writes the package's adapter files: adapter_model.safetensors holding the head as PEFT saves
# modules_to_save (no LoRA factors: the features come from the bare base), adapter_config.json, head_config.json.
import argparse
import hashlib
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import write_safetensors  # noqa: E402

HEAD_PREFIX = 'base_model.model.language_head.'
# The training settings: flag, type, default.
SETTINGS = (('--epochs', int, 12), ('--batch-size', int, 128), ('--lr', float, 2e-3), ('--bag-width', int, 128),
            ('--hidden', int, 384), ('--dropout', float, 0.2), ('--weight-decay', float, 0.0),
            ('--validation-share', float, 0.05), ('--seed', int, 1))


def load_features(folder):
    meta = json.load(open(os.path.join(folder, 'meta.json'), encoding='utf-8'))
    rows = meta['rows']
    pooled = np.fromfile(os.path.join(folder, 'pooled.f32'), dtype='<f4').reshape(rows, meta['pooledWidth'])
    labels = np.fromfile(os.path.join(folder, 'labels.i32'), dtype='<i4').astype(np.int64)
    bag = np.fromfile(os.path.join(folder, 'bag.i32'), dtype='<i4').astype(np.int64)
    offsets = np.fromfile(os.path.join(folder, 'bag-offsets.i64'), dtype='<i8')
    return meta, pooled, labels, bag, offsets


class LanguageHead(torch.nn.Module):
    def __init__(self, bag_size, bag_width, pooled_width, hidden, languages, pooled_mean, pooled_std, dropout, without=None):
        super().__init__()
        self.without = without
        self.bag_embedding = torch.nn.EmbeddingBag(bag_size, bag_width, mode='mean')
        self.register_buffer('pooled_mean', torch.tensor(pooled_mean))
        self.register_buffer('pooled_std', torch.tensor(pooled_std))
        self.hidden = torch.nn.Linear(bag_width + pooled_width, hidden)
        self.output = torch.nn.Linear(hidden, languages)
        self.dropout = torch.nn.Dropout(dropout)

    def forward(self, pooled, bag_ids, bag_offsets):
        bag = self.bag_embedding(bag_ids, bag_offsets)
        standardised = (pooled - self.pooled_mean) / self.pooled_std
        # --without (measurement only): one input zeroed, to see what the other carries alone.
        if self.without == 'bag':
            bag = torch.zeros_like(bag)
        elif self.without == 'pooled':
            standardised = torch.zeros_like(standardised)
        features = torch.cat([bag, standardised], 1)
        return self.output(self.dropout(F.gelu(self.hidden(self.dropout(features)))))


def batch_of(rows, pooled, bag, offsets):
    lengths = offsets[rows + 1] - offsets[rows]
    ids = np.concatenate([bag[offsets[r]:offsets[r + 1]] for r in rows])
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    return torch.from_numpy(pooled[rows]), torch.from_numpy(ids), torch.from_numpy(starts.astype(np.int64))


def is_validation(source, share):
    file = source.split('#')[0]
    return int(hashlib.sha256(file.encode('utf-8')).hexdigest()[:8], 16) / 0xFFFFFFFF < share


def logits_of(model, rows, pooled, bag, offsets, batch=512):
    model.eval()
    out = []
    with torch.no_grad():
        for start in range(0, len(rows), batch):
            out.append(model(*batch_of(rows[start:start + batch], pooled, bag, offsets)))
    model.train()
    return torch.cat(out) if out else torch.zeros(0)


def fit_temperature(logits, labels):
    best = (float('inf'), 1.0)
    for temperature in np.arange(0.5, 3.01, 0.05):
        nll = F.cross_entropy(logits / temperature, labels).item()
        best = min(best, (nll, float(temperature)))
    return best[1]


def main():
    parser = argparse.ArgumentParser(description='Train the language head on a feature folder.')
    parser.add_argument('--features', required=True)
    parser.add_argument('--output', required=True, help='expert package folder (head files are written into it)')
    for flag, kind, default in SETTINGS:
        parser.add_argument(flag, type=kind, default=default, help=f'default {default}')
    parser.add_argument('--without', choices=['bag', 'pooled'], help='measure one input alone (the head written is not for shipping)')
    parser.add_argument('--base-model', default='expert-base-tiny', help="adapter_config.json's base_model_name_or_path")
    parser.add_argument('--threads', type=int, default=2)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    meta, pooled, labels, bag, offsets = load_features(args.features)
    languages = meta['languages']
    validation = np.array([is_validation(s, args.validation_share) for s in meta['sources']])
    train_rows = np.flatnonzero(~validation)
    valid_rows = np.flatnonzero(validation)
    counts = np.bincount(labels[train_rows], minlength=len(languages)).astype(np.float64)
    # Rare languages (the ~3 linguist samples of most) weigh more, without drowning the common ones.
    row_weight = 1.0 / np.sqrt(np.maximum(counts[labels[train_rows]], 1))
    row_weight /= row_weight.sum()
    bag_size = meta['vocabSize'] + meta['shape']['pairBuckets'] + meta['shape']['tripleBuckets']
    model = LanguageHead(bag_size, args.bag_width, meta['pooledWidth'], args.hidden, len(languages),
                         pooled[train_rows].mean(0), pooled[train_rows].std(0) + 1e-5, args.dropout, args.without)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    steps_per_epoch = max(1, len(train_rows) // args.batch_size)
    total = steps_per_epoch * args.epochs
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, total_steps=total, pct_start=0.1)
    rng = np.random.default_rng(args.seed)
    started = time.time()
    for epoch in range(args.epochs):
        losses = []
        for _ in range(steps_per_epoch):
            rows = train_rows[rng.choice(len(train_rows), size=args.batch_size, p=row_weight)]
            loss = F.cross_entropy(model(*batch_of(rows, pooled, bag, offsets)), torch.from_numpy(labels[rows]))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
            losses.append(loss.item())
        valid_logits = logits_of(model, valid_rows, pooled, bag, offsets)
        accuracy = (valid_logits.argmax(1).numpy() == labels[valid_rows]).mean() if len(valid_rows) else float('nan')
        print(json.dumps({'epoch': epoch + 1, 'loss': round(float(np.mean(losses)), 4), 'validation_accuracy': round(float(accuracy), 4),
                          'seconds': round(time.time() - started, 1)}), flush=True)
    valid_logits = logits_of(model, valid_rows, pooled, bag, offsets)
    temperature = fit_temperature(valid_logits, torch.from_numpy(labels[valid_rows])) if len(valid_rows) else 1.0
    state = {name: tensor.detach().numpy() for name, tensor in model.state_dict().items()}
    tensors = {HEAD_PREFIX + name: (value.astype(np.float16) if name == 'bag_embedding.weight' else value.astype(np.float32))
               for name, value in state.items()}
    os.makedirs(args.output, exist_ok=True)
    write_safetensors(os.path.join(args.output, 'adapter_model.safetensors'), tensors, {'format': 'pt'})
    adapter_config = {'peft_type': 'LORA', 'r': 1, 'lora_alpha': 1, 'lora_dropout': 0.0, 'target_modules': [],
                      'modules_to_save': ['language_head'], 'base_model_name_or_path': args.base_model, 'task_type': 'SEQ_CLS', 'bias': 'none'}
    with open(os.path.join(args.output, 'adapter_config.json'), 'w', encoding='utf-8') as handle:
        json.dump(adapter_config, handle, indent=1)
    config = {
        'languages': languages,
        'shape': meta['shape'],
        'pooled_width': meta['pooledWidth'],
        'bag_width': args.bag_width,
        'hidden': args.hidden,
        'temperature': temperature,
        'counts': [int(c) for c in counts],
        'features_from': meta['experts'],
        'without': args.without,
        'training': {'rows': int(len(train_rows)), 'validation_rows': int(len(valid_rows)), 'epochs': args.epochs, 'batch_size': args.batch_size,
                     'lr': args.lr, 'dropout': args.dropout, 'weight_decay': args.weight_decay, 'seed': args.seed, 'validation_accuracy': None if np.isnan(accuracy) else float(accuracy), 'seconds': round(time.time() - started, 1)},
    }
    with open(os.path.join(args.output, 'head_config.json'), 'w', encoding='utf-8') as handle:
        json.dump(config, handle, indent=1)
    print(json.dumps({'done': True, 'temperature': temperature, 'validation_accuracy': None if np.isnan(accuracy) else float(accuracy)}), flush=True)


if __name__ == '__main__':
    main()
