# The worker's place among torchrun's processes: one rank alone (no torchrun) or one of WORLD_SIZE ranks joined by
# torch.distributed (gloo on CPU, NCCL on CUDA). Every rank takes its share of each micro-batch (every WORLD_SIZE-th
# unit, so the global batch and its order are the same whatever the rank count); gradients of the LoRA parameters
# are summed across ranks after the last micro-batch of a step (frozen base weights never travel); rank 0 alone
# reports events and writes checkpoints and the adapter.
import os

import torch
import torch.distributed as dist


class Ranks:
    def __init__(self, device):
        self.world = int(os.environ.get('WORLD_SIZE', '1'))
        self.rank = int(os.environ.get('RANK', '0'))
        self.local_rank = int(os.environ.get('LOCAL_RANK', '0'))
        if self.world > 1:
            backend = os.environ.get('EXPERT_DIST_BACKEND') or ('nccl' if device == 'cuda' else 'gloo')
            dist.init_process_group(backend=backend)

    @property
    def leader(self):
        return self.rank == 0

    def device(self, device):
        """The device this rank trains on: its own GPU under torchrun on CUDA."""
        if device == 'cuda' and self.world > 1:
            torch.cuda.set_device(self.local_rank)
            return f'cuda:{self.local_rank}'
        return device

    def shard(self, units):
        """This rank's units of a micro-batch."""
        return units[self.rank::self.world]

    def totals(self, values):
        """The sums of some numbers over every rank, in one exchange."""
        if self.world == 1:
            return list(values)
        tensor = torch.tensor([float(value) for value in values], dtype=torch.float64)
        dist.all_reduce(tensor)
        return tensor.tolist()

    def sum_gradients(self, parameters):
        """Each rank's gradients become their sum over the ranks (missing ones count as zero), in one exchange."""
        if self.world == 1:
            return
        for parameter in parameters:
            if parameter.grad is None:
                parameter.grad = torch.zeros_like(parameter)
        flat = torch.cat([parameter.grad.reshape(-1) for parameter in parameters])
        dist.all_reduce(flat)
        offset = 0
        for parameter in parameters:
            count = parameter.grad.numel()
            parameter.grad.copy_(flat[offset:offset + count].view_as(parameter.grad))
            offset += count

    def close(self):
        if self.world > 1 and dist.is_initialized():
            dist.destroy_process_group()
