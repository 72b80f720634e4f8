# PyTorch's own launcher (torch.distributed.run, what `torchrun` runs) with one repair for Debian 12's torch 1.13
# on Python 3.11: there, iterating the Std flag enum skips Std.NONE, so the default "--redirects 0 --tee 0" parse
# to None and every launch fails. Same arguments as torchrun.
# Usage: /usr/bin/python3 src/trainer/worker/torchrun.py --standalone --nproc_per_node N train.py --job-dir DIR
import sys

from torch.distributed.elastic.multiprocessing import Std
from torch.distributed.run import main

_parse = Std.from_str


def _from_str(value):
    parsed = _parse(value)
    if isinstance(parsed, dict):
        return {rank: Std.NONE if std is None else std for rank, std in parsed.items()}
    return Std.NONE if parsed is None else parsed


Std.from_str = staticmethod(_from_str)

if __name__ == '__main__':
    sys.exit(main())
