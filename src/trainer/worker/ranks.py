# The worker's place among torchrun's processes: one rank alone (no torchrun) or one of WORLD_SIZE ranks, on one or
# several hosts (nodes), joined by torch.distributed (gloo on CPU, NCCL on CUDA). Every rank takes its share of each
# micro-batch (every WORLD_SIZE-th unit, so the global batch and its order are the same whatever the rank count);
# gradients of the LoRA parameters are summed across ranks after the last micro-batch of a step (frozen base weights
# never travel); the first rank of each node reports events and writes checkpoints and the adapter in its job folder.
import hashlib
import os
import socket

import torch
import torch.distributed as dist


class PeerLost(RuntimeError):
    """Another rank went away during an exchange: this rank fails because of it, not by itself."""


class JobMismatch(RuntimeError):
    """The nodes were given different jobs (data, settings or base)."""


class Ranks:
    def __init__(self, device):
        self.world = int(os.environ.get('WORLD_SIZE', '1'))
        self.rank = int(os.environ.get('RANK', '0'))
        self.local_rank = int(os.environ.get('LOCAL_RANK', '0'))
        self.node = int(os.environ.get('GROUP_RANK', '0'))
        if self.world > 1:
            backend = os.environ.get('EXPERT_DIST_BACKEND') or ('nccl' if device == 'cuda' else 'gloo')
            dist.init_process_group(backend=backend)

    @property
    def reporter(self):
        """This node's first rank: it reports and writes the node's checkpoints and adapter."""
        return self.local_rank == 0

    def device(self, device):
        """The device this rank trains on: its own GPU under torchrun on CUDA."""
        if device == 'cuda' and self.world > 1:
            torch.cuda.set_device(self.local_rank)
            return f'cuda:{self.local_rank}'
        return device

    def shard(self, units):
        """This rank's units of a micro-batch."""
        return units[self.rank::self.world]

    def _exchange(self, what, call):
        try:
            return call()
        except RuntimeError as error:
            raise PeerLost(f'lost another rank during {what}: {str(error).splitlines()[0] if str(error) else error}')

    def totals(self, values, own=()):
        """The sums of some numbers over every rank, and each rank's own numbers (`own`, one list per rank), in one
        exchange."""
        own = list(own)
        if self.world == 1:
            return list(values), [own]
        slots = [0.0] * (len(own) * self.world)
        slots[self.rank * len(own):(self.rank + 1) * len(own)] = own
        tensor = torch.tensor([float(value) for value in [*values, *slots]], dtype=torch.float64)
        self._exchange('the step totals', lambda: dist.all_reduce(tensor))
        summed = tensor.tolist()
        per_rank = summed[len(values):]
        return summed[:len(values)], [per_rank[r * len(own):(r + 1) * len(own)] for r in range(self.world)]

    def sum_gradients(self, parameters):
        """Each rank's gradients become their sum over the ranks (missing ones count as zero), in one exchange."""
        if self.world == 1:
            return
        for parameter in parameters:
            if parameter.grad is None:
                parameter.grad = torch.zeros_like(parameter)
        flat = torch.cat([parameter.grad.reshape(-1) for parameter in parameters])
        self._exchange('the gradient sum', lambda: dist.all_reduce(flat))
        offset = 0
        for parameter in parameters:
            count = parameter.grad.numel()
            parameter.grad.copy_(flat[offset:offset + count].view_as(parameter.grad))
            offset += count

    def from_first(self, value):
        """Rank 0's value on every rank (a checkpoint read on the first node, which the others may not have)."""
        if self.world == 1:
            return value
        box = [value]
        self._exchange('the resume', lambda: dist.broadcast_object_list(box, src=0))
        return box[0]

    def start(self, fingerprint):
        """Every rank's node, host and process id (rank order), in one exchange that also fails every rank when a
        node was given another job than rank 0's (`fingerprint`: job_fingerprint)."""
        mine = {'rank': self.rank, 'node': self.node, 'host': socket.gethostname(), 'pid': os.getpid()}
        if self.world == 1:
            return [mine]
        gathered = [None] * self.world
        self._exchange('the start', lambda: dist.all_gather_object(gathered, {**mine, 'job': fingerprint}))
        differing = [entry['rank'] for entry in gathered if entry['job'] != gathered[0]['job']]
        if differing:
            raise JobMismatch(f'rank {differing[0]} was given another job than rank 0 (tokens, settings or base '
                              'model differ): submit the same request to every node')
        return [{key: value for key, value in entry.items() if key != 'job'} for entry in gathered]

    def close(self):
        if self.world > 1 and dist.is_initialized():
            dist.destroy_process_group()


def job_fingerprint(job, job_dir):
    """What every node's job must share: the tokens, the settings, the base's config and the adapters stacked, not
    the paths or threads of one host."""
    digest = hashlib.sha256()
    with open(os.path.join(job_dir, 'tokens.json'), 'rb') as handle:
        digest.update(handle.read())
    with open(os.path.join(job['base_model_dir'], 'config.json'), 'rb') as handle:
        digest.update(handle.read())
    local = {'threads', 'base_model_dir', 'dependencies', 'stack', 'init_adapter', 'nodes', 'distributed', 'ranks'}
    shared = {key: value for key, value in job.items() if key not in local}
    adapters = [f"{entry['name']}@{entry['version']}" for key in ('dependencies', 'stack') for entry in job.get(key, [])]
    init = job.get('init_adapter')
    digest.update(repr((sorted(shared.items()), adapters, init and init.get('version'))).encode())
    return digest.hexdigest()


class _LinePrefixed:
    """A text stream that starts every line with a prefix (one node's ranks share its worker.log)."""

    def __init__(self, stream, prefix):
        self._stream, self._prefix, self._pending = stream, prefix, ''

    def write(self, text):
        self._pending += text
        *lines, self._pending = self._pending.split('\n')
        for line in lines:
            self._stream.write(f'{self._prefix}{line}\n')
        return len(text)

    def flush(self):
        if self._pending:
            self._stream.write(self._prefix + self._pending)
            self._pending = ''
        self._stream.flush()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def prefix_log_lines(stream):
    """Under torchrun, the stream with `[rank N] ` before each line, so a failing rank's last words can be found."""
    if int(os.environ.get('WORLD_SIZE', '1')) == 1:
        return stream
    return _LinePrefixed(stream, f"[rank {os.environ.get('RANK', '0')}] ")
