"""watch(model, every=N): activation statistics of the user's own training, every N steps,
appended as JSON lines to a run file.

A step is one forward call of the model in training mode with gradients enabled (evaluation
passes under torch.no_grad() or model.eval() are not counted). Steps are numbered from 1; the
steps logged are N, 2N, 3N, ... On a logging step the activation hooks and the function mode
are attached for that forward only and the gradient hooks fire in its backward; on the other
steps only one forward pre-hook and one forward hook on the model run, and return at once.

Run file: $ACTIVATION_INSPECTOR_RUNS (default ./.activation-inspector/runs/) /<run>.jsonl.
Line 1: {"format": 1, "run", "started", "every", "model", "torch", "pid"}; then one line per
logged step: {"step", "time", "sites": [site statistics as in probe]}. A step's line is written
when its backward finishes (else at the next forward, unwatch() or process exit), and flushed.
"""
import atexit
import json
import math
import os
import time

import torch

from . import _sites
from ._collector import Collector

_active = []


def _default_dir():
    return os.environ.get("ACTIVATION_INSPECTOR_RUNS") or os.path.join(
        os.getcwd(), ".activation-inspector", "runs")


def _finite(v):
    if isinstance(v, float) and not math.isfinite(v):   # the project's JSON: "nan", "inf", "-inf"
        return "nan" if v != v else ("inf" if v > 0 else "-inf")
    if isinstance(v, dict):
        return {k: _finite(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_finite(x) for x in v]
    return v


class Watch:
    def __init__(self, model, every=100, run=None, directory=None):
        if not isinstance(model, torch.nn.Module):
            raise TypeError("watch(model): expected a torch.nn.Module, got %s"
                            % type(model).__name__)
        if isinstance(model, torch.jit.ScriptModule):
            raise TypeError("watch(model): a TorchScript module takes no Python hooks; watch "
                            "the model before torch.jit.script/trace")
        every = int(every)
        if every < 1:
            raise ValueError("watch(model, every=N): N must be >= 1, got %r" % (every,))
        _sites.install()
        self.model, self.every = model, every
        self.step = 0
        self.directory = os.path.abspath(directory or _default_dir())
        os.makedirs(self.directory, exist_ok=True)
        base = run or time.strftime("%Y%m%d-%H%M%S") + "-%d" % os.getpid()
        self.run = base
        self.path = os.path.join(self.directory, base + ".jsonl")
        n = 1
        while os.path.exists(self.path):
            n += 1
            self.run = "%s-%d" % (base, n)
            self.path = os.path.join(self.directory, self.run + ".jsonl")
        self._file = open(self.path, "a", encoding="utf-8")
        self._write({"format": 1, "run": self.run, "started": time.time(), "every": every,
                     "model": type(model).__name__, "torch": torch.__version__,
                     "pid": os.getpid()})
        self._collector = None      # the logging step's collector, until written
        self._mode = None
        self._logging_step = 0
        self._callback_queued = False
        self._handles = [model.register_forward_pre_hook(self._before),
                         model.register_forward_hook(self._after)]
        _active.append(self)

    def _write(self, obj):
        self._file.write(json.dumps(_finite(obj), separators=(",", ":")) + "\n")
        self._file.flush()

    def _before(self, module, inputs):
        if self._mode is not None:          # a forward that raised: close it
            self._exit_mode()
        if not (module.training and torch.is_grad_enabled()):
            return
        self.step += 1
        if self.step % self.every:
            if self._collector is not None:
                self.flush()
            return
        self.flush()
        c = Collector(self.model)
        c.on_grad = self._on_grad
        c.attach_modules()
        self._collector, self._logging_step = c, self.step
        self._callback_queued = False
        self._mode = c.function_mode()
        self._mode.__enter__()

    def _after(self, module, inputs, output):
        if self._mode is None:
            return
        self._exit_mode()

    def _on_grad(self, site, g):
        # The first gradient of a logging step queues the write for the end of its backward.
        site.add_grad(g)
        c = self._collector
        if not self._callback_queued and c is not None and hasattr(_ENGINE, "queue_callback"):
            self._callback_queued = True
            _ENGINE.queue_callback(lambda: self.flush() if self._collector is c else None)

    def _exit_mode(self):
        mode, self._mode = self._mode, None
        try:
            mode.__exit__(None, None, None)
        finally:
            if self._collector is not None:
                self._collector.detach()

    def flush(self):
        """Write the pending logging step, if any."""
        c, self._collector = self._collector, None
        if c is None:
            return
        c.detach()
        self._write({"step": self._logging_step, "time": time.time(), "sites": c.results()})

    def unwatch(self):
        if self._mode is not None:
            self._exit_mode()
        self.flush()
        for h in self._handles:
            h.remove()
        self._handles = []
        if not self._file.closed:
            self._file.close()
        if self in _active:
            _active.remove(self)


_ENGINE = getattr(getattr(torch.autograd, "Variable", None), "_execution_engine", None)


def watch(model, every=100, run=None, directory=None):
    """Start logging; returns the Watch (its .path is the run file)."""
    return Watch(model, every=every, run=run, directory=directory)


def unwatch(model=None):
    """Stop watching `model` (every watched model when None): hooks removed, file closed."""
    for w in list(_active):
        if model is None or w.model is model:
            w.unwatch()


atexit.register(unwatch)
