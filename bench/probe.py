"""Bench of the PyTorch probe (run by bench/probe.mjs, or: PYTHONPATH=python python3 bench/probe.py).

1. watch() overhead: training step time with watch(every=N) / without, on a small CNN (batch 32,
   3x32x32) and an MLP (batch 64, 784-256-256-10), CPU, one thread, SGD. Two identical models
   train side by side, one watched; blocks of steps alternate between them so machine load hits
   both alike; the ratio is of the medians of the per-block times. Targets: <= 1.05 at
   every=10, <= 1.01 at every=100.
2. probe() wall time on a ResNet-18 (11.7 M parameters) at batch 8, 3x224x224, against a plain
   forward + backward of the same model in the same process.
Prints one JSON object.
"""
import json
import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python"))
sys.path.insert(0, HERE)

import torch  # noqa: E402

import activation_inspector  # noqa: E402  (before the models are built: construction sites)
from activation_inspector._probe import probe  # noqa: E402
import probe_models  # noqa: E402

torch.set_num_threads(1)
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))


def step_fn(model, x, y, opt, loss_fn):
    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
    return step


def overhead(make, shape, classes, every, block=100):
    torch.manual_seed(0)
    a, b = make(), make()
    b.load_state_dict(a.state_dict())
    x = torch.randn(*shape)
    y = torch.randint(0, classes, (shape[0],))
    loss = torch.nn.CrossEntropyLoss()
    run_dir = tempfile.mkdtemp()
    w = activation_inspector.watch(a, every=every, directory=run_dir)
    sa = step_fn(a, x, y, torch.optim.SGD(a.parameters(), lr=1e-3), loss)
    sb = step_fn(b, x, y, torch.optim.SGD(b.parameters(), lr=1e-3), loss)
    for _ in range(every):           # warm-up, including one logging step
        sa()
        sb()
    ta, tb = [], []
    for r in range(ROUNDS):
        order = [(sa, ta), (sb, tb)] if r % 2 == 0 else [(sb, tb), (sa, ta)]
        for fn, out in order:
            t0 = time.perf_counter()
            for _ in range(block):
                fn()
            out.append((time.perf_counter() - t0) / block)
    w.unwatch()
    with open(w.path) as f:
        logged = sum(1 for _ in f) - 1
    return {"every": every, "ratio": statistics.median(ta) / statistics.median(tb),
            "step_ms_without": 1e3 * statistics.median(tb), "step_ms_with": 1e3 * statistics.median(ta),
            "logged_steps": logged}


def resnet_probe():
    file = os.path.join(HERE, "probe_models.py")
    t0 = time.perf_counter()
    res = probe(file, "ResNet18", input_shape="8,3,224,224")
    t_probe = time.perf_counter() - t0
    torch.manual_seed(0)
    net = probe_models.ResNet18()
    x = torch.randn(8, 3, 224, 224)
    t0 = time.perf_counter()
    net(x).mean().backward()
    t_plain = time.perf_counter() - t0
    return {"model": "ResNet-18 (11.7 M params), batch 8x3x224x224, 1 thread",
            "probe_s": t_probe, "plain_forward_backward_s": t_plain,
            "ratio": t_probe / t_plain, "sites": len(res["sites"])}


def main():
    out = {"torch": torch.__version__, "rounds": ROUNDS, "watch": {}}
    for name, make, shape in [("cnn32", probe_models.SmallCNN, (32, 3, 32, 32)),
                              ("mlp", probe_models.mlp, (64, 784))]:
        out["watch"][name] = [overhead(make, shape, 10, every) for every in (10, 100)]
    out["probe"] = resnet_probe()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
