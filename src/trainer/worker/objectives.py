# Training losses: masked next-token cross-entropy for SFT, and the DPO loss against a reference policy
# that is the same model with the new adapter switched off (dependencies stay active) and, when training
# continues from an init adapter, that adapter's frozen copy switched on instead.
import torch
import torch.nn.functional as F

from lora import adapters_switched


def token_losses(model, batch):
    """Per-position next-token cross-entropy [batch, seq] in fp32 (weights not yet applied)."""
    logits = model(batch['input_ids'], batch['position_ids'], batch['segment_ids'])
    return F.cross_entropy(logits.float().transpose(1, 2), batch['target_ids'], reduction='none')


def sft_loss(model, batch):
    """Mean cross-entropy over the response tokens; also returns how many tokens it averaged."""
    weights = batch['target_weights']
    count = weights.sum()
    return (token_losses(model, batch) * weights).sum() / count.clamp(min=1), int(count.item())


def sequence_logprobs(model, batch):
    """Sum of the response tokens' log-probabilities, one value per row."""
    return -(token_losses(model, batch) * batch['target_weights']).sum(dim=1)


def dpo_loss(model, batch, adapter_key, beta, reference_key=None):
    """DPO loss for a batch built by batches.dpo_batch (chosen rows first, then rejected rows); the reference
    pass switches adapter_key off and reference_key (a frozen adapter, off otherwise) on.
    Returns (loss, metrics) where metrics holds reward accuracy and margin."""
    reference_states = {adapter_key: False, **({reference_key: True} if reference_key else {})}
    with torch.no_grad(), adapters_switched(model, reference_states):
        reference = sequence_logprobs(model, batch)
    policy = sequence_logprobs(model, batch)
    half = policy.shape[0] // 2
    chosen_reward = beta * (policy[:half] - reference[:half])
    rejected_reward = beta * (policy[half:] - reference[half:])
    margin = chosen_reward - rejected_reward
    loss = -F.logsigmoid(margin).mean()
    metrics = {'reward_accuracy': float((margin > 0).float().mean().item()), 'reward_margin': float(margin.mean().item())}
    return loss, metrics
