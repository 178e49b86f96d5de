"""A gate network trained under bfloat16 autocast: hover Sigmoid or silu to see what
bfloat16 does to them (where the gradient becomes exactly 0, where values overflow)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Gate(nn.Module):
    def __init__(self, d: int = 64):
        super().__init__()
        self.proj = nn.Linear(d, 2 * d)
        self.gate = nn.Sigmoid()
        self.out = nn.Linear(d, 1)

    def forward(self, x):
        a, b = self.proj(x).chunk(2, dim=-1)
        h = F.silu(a) * self.gate(b)
        return self.out(h)


model = Gate().cuda()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
x = torch.randn(256, 64, device="cuda")
y = torch.randn(256, 1, device="cuda")

for step in range(100):
    with torch.autocast("cuda", dtype=torch.bfloat16):
        loss = F.mse_loss(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
