"""Bench of the PyTorch probe (run by bench/probe.mjs, or: PYTHONPATH=python python3 bench/probe.py).

1. watch() overhead: training step time with watch(every=N) / without, on a small CNN (batch 32,
   3x32x32) and an MLP (batch 64, 784-256-256-10), CPU, one thread, SGD. Two identical models
   train side by side, one watched, alternating step by step (see overhead()). BENCH_ROUNDS=R
   runs R*10 logging steps at every=10 and max(3, R/10) at every=100. Targets: <= 1.05 at
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


def overhead(make, shape, classes, every, cycles):
    """Steps alternate between the watched and the unwatched twin, one step each, so load from
    other processes hits both alike. Per-step medians (robust to load spikes): the watched
    model's logging and other steps apart, the unwatched one's; the ratio is the watched mean
    step time ((every-1) other steps + 1 logging step) over the unwatched step time."""
    torch.manual_seed(0)
    a, b = make(), make()
    b.load_state_dict(a.state_dict())
    x = torch.randn(*shape)
    y = torch.randint(0, classes, (shape[0],))
    loss = torch.nn.CrossEntropyLoss()
    w = activation_inspector.watch(a, every=every, directory=tempfile.mkdtemp())
    sa = step_fn(a, x, y, torch.optim.SGD(a.parameters(), lr=1e-3), loss)
    sb = step_fn(b, x, y, torch.optim.SGD(b.parameters(), lr=1e-3), loss)
    for _ in range(every):           # warm-up, including one logging step
        sa()
        sb()
    logging, other, plain = [], [], []
    for i in range(cycles * every):
        for fn in ((sa, sb) if i % 2 == 0 else (sb, sa)):
            t0 = time.perf_counter()
            fn()
            dt = time.perf_counter() - t0
            if fn is sb:
                plain.append(dt)
            elif w.step % every == 0:
                logging.append(dt)
            else:
                other.append(dt)
    w.unwatch()
    with open(w.path) as f:
        logged = sum(1 for _ in f) - 1
    m_log, m_other, m_plain = (statistics.median(v) for v in (logging, other, plain))
    watched = ((every - 1) * m_other + m_log) / every
    return {"every": every, "ratio": watched / m_plain,
            "step_ms_without": 1e3 * m_plain, "step_ms_with": 1e3 * watched,
            "logging_step_ms": 1e3 * m_log, "other_step_ms": 1e3 * m_other,
            "logged_steps": logged}


def idle_hook_cost(n=20000):
    """Seconds per non-logging step that watch adds: its two root hooks, called directly."""
    net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU())
    w = activation_inspector.watch(net, every=10 ** 9, directory=tempfile.mkdtemp())
    x = (torch.zeros(1, 2),)
    t0 = time.perf_counter()
    for _ in range(n):
        w._before(net, x)
        w._after(net, x, None)
    t = (time.perf_counter() - t0) / n
    w.unwatch()
    return t


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
        out["watch"][name] = [overhead(make, shape, 10, every, max(3, ROUNDS * 10 // every))
                              for every in (10, 100)]
    out["idle_hook_us"] = 1e6 * idle_hook_cost()
    out["probe"] = resnet_probe()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
