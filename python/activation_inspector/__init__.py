"""Activation Inspector's PyTorch probe: activation health of a real model, per line of code.

    from activation_inspector import watch
    watch(model, every=100)      # in your own training loop; see _watch.py

Importing this package records where each torch.nn.Module is constructed (file and line), so
import it before building the model. Needs only torch (1.13 through 2.x).
"""
try:
    import torch  # noqa: F401
except ImportError as _e:  # the CLI reports this itself; watch() raises a clear error
    _TORCH_ERROR = _e
else:
    _TORCH_ERROR = None
    from . import _sites
    _sites.install()

__all__ = ["watch", "unwatch", "probe"]


def _need_torch():
    if _TORCH_ERROR is not None:
        raise ImportError("activation_inspector needs torch, which this Python cannot import: %s"
                          % _TORCH_ERROR)


def watch(model, every=100, run=None, directory=None):
    """Log activation statistics of `model` every `every` training steps (see _watch.py)."""
    _need_torch()
    from ._watch import watch as _watch
    return _watch(model, every=every, run=run, directory=directory)


def unwatch(model=None):
    """Stop watching `model`, or every watched model."""
    if _TORCH_ERROR is not None:
        return
    from ._watch import unwatch as _unwatch
    _unwatch(model)


def probe(file, model, input_shape=None, criterion=None, batch=None, seed=0):
    """Run the model in `file` once and return {"sites": [...]} (see _probe.py)."""
    _need_torch()
    from ._probe import probe as _probe
    return _probe(file, model, input_shape=input_shape, criterion=criterion, batch=batch,
                  seed=seed)
