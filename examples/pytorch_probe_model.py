# A small PyTorch model with two planted problems for "Probe activations" (the CodeLens above
# the class; input shape 64,16). The probe runs it once on a random batch and writes each
# activation's numbers at the line that built it:
#   - act1: 20 of its 32 units start with weight 0 and bias -100, so they never fire (dying ReLU);
#   - gate: 12 of its 16 inputs are pinned at +-100, so the sigmoid is flat there (saturated)
#     and almost no gradient flows back through those outputs.
# The tanh at the end is healthy.
import torch
import torch.nn as nn


class ProbeDemo(nn.Module):
    def __init__(self, hidden=32, dead=20, saturated=12):
        super().__init__()
        self.fc1 = nn.Linear(16, hidden)
        self.act1 = nn.ReLU()
        self.fc2 = nn.Linear(hidden, 16)
        self.gate = nn.Sigmoid()
        self.head = nn.Linear(16, 4)
        with torch.no_grad():
            self.fc1.weight[:dead] = 0.0
            self.fc1.bias[:dead] = -100.0
            self.fc2.weight[:saturated] = 0.0
            self.fc2.bias[:saturated] = 100.0 * torch.tensor([1.0, -1.0]).repeat(saturated // 2)

    def forward(self, x):
        h = self.act1(self.fc1(x))
        g = self.gate(self.fc2(h))
        return self.head(torch.tanh(g))


def make_probe_demo(hidden=32):
    return ProbeDemo(hidden=hidden)


if __name__ == "__main__":
    print(ProbeDemo()(torch.randn(64, 16)).shape)
