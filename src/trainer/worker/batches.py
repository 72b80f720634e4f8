# Turns tokenized examples into training tensors: SFT examples are packed into rows of max_seq_len
# (segment ids keep them apart, positions restart), DPO pairs become padded chosen/rejected batches.
import numpy as np
import torch


class DatasetError(ValueError):
    """Tokenized data the worker cannot train on; the message names the example."""


def pack_sft_examples(examples, max_seq_len):
    """Greedy first-fit packing of {input_ids, loss_mask} examples (truncated to max_seq_len) into rows.
    Returns a list of rows, each a list of (input_ids, loss_mask) segments."""
    rows, lengths = [], []
    for index, example in enumerate(examples):
        ids, mask = example['input_ids'][:max_seq_len], example['loss_mask'][:max_seq_len]
        if len(ids) != len(mask):
            raise DatasetError(f'example {index}: input_ids and loss_mask differ in length')
        if sum(mask[1:]) == 0:
            continue
        for row_index, used in enumerate(lengths):
            if used + len(ids) <= max_seq_len:
                rows[row_index].append((ids, mask))
                lengths[row_index] += len(ids)
                break
        else:
            rows.append([(ids, mask)])
            lengths.append(len(ids))
    if not rows:
        raise DatasetError('no example has a response token to learn from (after truncation to max_seq_len)')
    return rows


def sft_batch(rows, device):
    """Tensors for a batch of packed rows: input_ids, position_ids, segment_ids (0 = padding), and
    target_ids/target_weights aligned so position i predicts token i+1 of the same segment."""
    width = max(sum(len(ids) for ids, _ in row) for row in rows)
    shape = (len(rows), width)
    input_ids, position_ids, segment_ids = np.zeros(shape, np.int64), np.zeros(shape, np.int64), np.zeros(shape, np.int64)
    target_ids, target_weights = np.zeros(shape, np.int64), np.zeros(shape, np.float32)
    for row_index, row in enumerate(rows):
        start = 0
        for segment, (ids, mask) in enumerate(row, start=1):
            end = start + len(ids)
            input_ids[row_index, start:end] = ids
            position_ids[row_index, start:end] = np.arange(len(ids))
            segment_ids[row_index, start:end] = segment
            target_ids[row_index, start:end - 1] = ids[1:]
            target_weights[row_index, start:end - 1] = mask[1:]
            start = end
    as_tensor = lambda array: torch.from_numpy(array).to(device)
    return {'input_ids': as_tensor(input_ids), 'position_ids': as_tensor(position_ids),
            'segment_ids': as_tensor(segment_ids), 'target_ids': as_tensor(target_ids),
            'target_weights': as_tensor(target_weights)}


def dpo_pairs(examples, max_seq_len):
    """Validated (prompt+chosen, prompt+rejected) sequences with response masks, truncated to max_seq_len."""
    pairs = []
    for index, example in enumerate(examples):
        prompt = example['prompt_ids']
        sequences = []
        for side in ('chosen_ids', 'rejected_ids'):
            response = example.get(side)
            if not response:
                raise DatasetError(f'example {index}: {side} is empty')
            ids = (prompt + response)[:max_seq_len]
            mask = ([0] * len(prompt) + [1] * len(response))[:max_seq_len]
            if sum(mask[1:]) == 0:
                raise DatasetError(f'example {index}: the prompt fills max_seq_len, no {side} token is left')
            sequences.append((ids, mask))
        pairs.append(tuple(sequences))
    if not pairs:
        raise DatasetError('the dataset has no preference pairs')
    return pairs


def dpo_batch(pairs, device):
    """One padded batch holding every chosen sequence, then every rejected one (so a single forward scores both)."""
    rows = [[chosen] for chosen, _ in pairs] + [[rejected] for _, rejected in pairs]
    return sft_batch(rows, device)
