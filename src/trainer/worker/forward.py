# The worker's own forward pass with expert packages stacked through lora.py, for parity checks against
# the TS runtime. Reads {"model": dir, "adapters": [{"dir", "weight"}], "input_ids": [...]} on stdin and
# prints {"logits": [...]} (row-major [seq, vocab], float32 values) on stdout.
import json
import os
import sys

import torch

from lora import add_frozen_adapter
from model import load_base_model
from safetensors_io import read_safetensors


def main():
    request = json.load(sys.stdin)
    torch.set_num_threads(1)
    model, _ = load_base_model(request['model'])
    for index, adapter in enumerate(request.get('adapters', [])):
        with open(os.path.join(adapter['dir'], 'adapter_config.json'), encoding='utf-8') as handle:
            config = json.load(handle)
        tensors, _ = read_safetensors(os.path.join(adapter['dir'], 'adapter_model.safetensors'))
        add_frozen_adapter(model, f'dependency_{index}', tensors, config['r'], config['lora_alpha'], adapter['dir'],
                           adapter.get('weight', 1.0))
    model.eval()
    with torch.no_grad():
        logits = model(torch.tensor([request['input_ids']], dtype=torch.int64))[0]
    json.dump({'logits': logits.reshape(-1).tolist()}, sys.stdout)


if __name__ == '__main__':
    main()
