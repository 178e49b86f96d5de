# Activations defined in your own code. Hover a definition or a use: Activation Inspector shows
# the formula, f′, f″, a plot and how it relates to the catalog ("identical to", "approximates");
# on the gated FeedForward it shows f(a, b) = a·SiLU(b), ∂f/∂a, ∂f/∂b and which projection is
# the value a and which the gate b.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def gelu(x):
    """Exact GELU written with erf, as BERT's original code does."""
    return x * 0.5 * (1.0 + torch.erf(x / math.sqrt(2.0)))


class QuickGELU(nn.Module):
    """CLIP's sigmoid approximation of GELU."""

    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class FeedForward(nn.Module):
    """A LLaMA-style SwiGLU feed-forward."""

    def __init__(self, dim, hidden):
        super().__init__()
        self.w1 = nn.Linear(dim, hidden, bias=False)
        self.w2 = nn.Linear(hidden, dim, bias=False)
        self.w3 = nn.Linear(dim, hidden, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        self.act = QuickGELU()
        self.mlp = FeedForward(dim, 4 * dim)

    def forward(self, x):
        h = gelu(self.proj(x))
        return x + self.mlp(self.act(h))


if __name__ == "__main__":
    block = Block(8)
    print(block(torch.randn(2, 8)).shape)
