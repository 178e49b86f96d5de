"""A small PyTorch classifier that uses many activation functions.

Open it with Activation Inspector: hover an activation to see its formula,
derivative and PyTorch's defaults (e.g. LeakyReLU's negative_slope=0.01,
GELU's exact erf form unless approximate="tanh").
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TinyMLP(nn.Module):
    def __init__(self, d_in: int = 16, d_hidden: int = 64, n_classes: int = 3) -> None:
        super().__init__()
        self.fc1 = nn.Linear(d_in, d_hidden)
        self.act1 = nn.LeakyReLU(0.2)
        self.fc2 = nn.Linear(d_hidden, d_hidden)
        self.act2 = nn.GELU(approximate="tanh")
        self.fc3 = nn.Linear(d_hidden, d_hidden)
        self.act3 = nn.SiLU()
        self.head = nn.Linear(d_hidden, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act1(self.fc1(x))
        x = self.act2(self.fc2(x))
        x = F.gelu(x, approximate="tanh")
        x = self.act3(self.fc3(x))
        x = F.leaky_relu(x, negative_slope=0.01)
        return F.log_softmax(self.head(x), dim=-1)


# Every activation module PyTorch ships, with its defaults spelled out.
zoo = nn.ModuleDict({
    "relu": nn.ReLU(),
    "relu6": nn.ReLU6(),
    "leaky": nn.LeakyReLU(negative_slope=0.01),
    "prelu": nn.PReLU(num_parameters=1, init=0.25),
    "elu": nn.ELU(alpha=1.0),
    "celu": nn.CELU(alpha=1.0),
    "selu": nn.SELU(),
    "gelu": nn.GELU(),
    "silu": nn.SiLU(),
    "mish": nn.Mish(),
    "softplus": nn.Softplus(beta=1.0, threshold=20.0),
    "softsign": nn.Softsign(),
    "hardtanh": nn.Hardtanh(min_val=-1.0, max_val=1.0),
    "hardsigmoid": nn.Hardsigmoid(),
    "hardswish": nn.Hardswish(),
    "sigmoid": nn.Sigmoid(),
    "tanh": nn.Tanh(),
    "logsigmoid": nn.LogSigmoid(),
})


def functional_tour(x: torch.Tensor) -> dict:
    return {
        "relu": F.relu(x),
        "relu6": F.relu6(x),
        "elu": F.elu(x, alpha=1.0),
        "selu": F.selu(x),
        "celu": F.celu(x, alpha=0.5),
        "gelu_exact": F.gelu(x),
        "gelu_tanh": F.gelu(x, approximate="tanh"),
        "silu": F.silu(x),
        "mish": F.mish(x),
        "softplus": F.softplus(x, beta=2.0),
        "hardswish": F.hardswish(x),
        "sigmoid": torch.sigmoid(x),
        "tanh": torch.tanh(x),
    }


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TinyMLP()
    x = torch.randn(8, 16)
    print(model(x).shape)
    grid = torch.linspace(-3, 3, 7)
    for name, y in functional_tour(grid).items():
        print(f"{name:>10}: {y.tolist()}")
