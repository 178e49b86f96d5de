"""probe(file, model, input_shape): run the user's model once (forward and backward) and
return the statistics of every activation site.

- The file is imported as a module named `activation_inspector_user` (never "__main__"), so
  its `if __name__ == "__main__":` block does not run; its folder goes first on sys.path.
- model: a name in the file (an nn.Module class, called with no arguments; a function, called
  with none; or a module instance), or any Python expression evaluated in the file's namespace
  (`Net(hidden=16)`, `make_model(depth=3)`) whose value is one of those.
- batch: torch.randn(*input_shape) after torch.manual_seed(seed) (several shapes -> several
  inputs), or `batch`: the name of / expression for a function in the file called with no
  arguments; it may return a tensor, a tuple of inputs, or a dict {"input": ..., "target": ...}.
- loss: `criterion` (expression in the file's namespace) called as criterion(output, target)
  when the batch gives a target, else criterion(output); default output.mean() (the sum of the
  means for several outputs). The model keeps the mode it was built in (train mode).
- torch.manual_seed(seed) also runs before the model is built, so its weights are repeatable.
"""
import importlib.util
import os
import sys
import traceback

import torch

from . import _sites
from ._collector import Collector

USER_MODULE = "activation_inspector_user"


class UserCodeError(Exception):
    """An error in the user's code, with one line naming file:line."""

    def __init__(self, line, tb=""):
        super().__init__(line)
        self.line = line
        self.tb = tb


class ProbeUsageError(Exception):
    pass


def _located(exc, user_file):
    """`file:line: Type: message` for an exception raised while running the user's code."""
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    desc = type(exc).__name__ + (": " + msg if msg else "")
    if isinstance(exc, SyntaxError) and exc.filename and not isinstance(exc, ImportError):
        return "%s:%s: %s: %s" % (exc.filename, exc.lineno, type(exc).__name__, exc.msg)
    frames = traceback.extract_tb(exc.__traceback__)
    user = os.path.abspath(user_file)
    pick = None
    for fr in frames:
        if os.path.abspath(fr.filename) == user:
            pick = fr
    if pick is None:
        for fr in frames:
            if not _sites._is_library(fr.filename) and "importlib" not in fr.filename:
                pick = fr
    if pick is None:
        return "%s: %s" % (user_file, desc)
    return "%s:%d: %s" % (pick.filename, pick.lineno, desc)


def load_user_module(path):
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        raise ProbeUsageError("%s: no such file" % path)
    _sites.install()
    folder = os.path.dirname(path)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location(USER_MODULE, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[USER_MODULE] = module
    try:
        spec.loader.exec_module(module)
    except KeyboardInterrupt:
        raise
    except BaseException as e:  # SyntaxError, ImportError, SystemExit, ...
        raise UserCodeError(_located(e, path), traceback.format_exc())
    return module


def _resolve(module, expr, what):
    ns = module.__dict__
    if expr.isidentifier() and expr not in ns:
        names = sorted(n for n, v in ns.items() if isinstance(v, type)
                       and issubclass(v, torch.nn.Module) and v.__module__ == USER_MODULE)
        raise ProbeUsageError("%s: no %s named %s (nn.Module classes there: %s)" % (
            module.__file__, what, expr, ", ".join(names) or "none"))
    try:
        return eval(compile(expr, "<%s %s>" % (what, expr), "eval"), ns)
    except SyntaxError as e:
        raise ProbeUsageError("--%s %r is not a Python expression: %s" % (what, expr, e.msg))


def build_model(module, expr):
    path = module.__file__
    value = _resolve(module, expr, "model")
    try:
        if isinstance(value, type) and issubclass(value, torch.nn.Module):
            value = value()
        elif not isinstance(value, torch.nn.Module) and callable(value):
            value = value()
    except Exception as e:
        raise UserCodeError(_located(e, path), traceback.format_exc())
    if not isinstance(value, torch.nn.Module):
        raise ProbeUsageError("%s: --model %s gives a %s, not a torch.nn.Module" % (
            path, expr, type(value).__name__))
    return value


def parse_shapes(text):
    """"8,3,32,32" or "8x3x32x32" (one input); several inputs separated by ";"."""
    shapes = []
    for part in text.replace(" ", "").strip("[]()").split(";"):
        dims = part.strip("[]()").replace("x", ",").split(",")
        try:
            shape = [int(d) for d in dims if d != ""]
        except ValueError:
            raise ProbeUsageError("--input-shape %r: expected integers like 8,3,32,32" % text)
        if not shape or any(d <= 0 for d in shape):
            raise ProbeUsageError("--input-shape %r: expected positive integers like 8,3,32,32"
                                  % text)
        shapes.append(shape)
    return shapes


def make_batch(module, input_shape, batch, seed):
    """(inputs tuple, target or None)."""
    torch.manual_seed(seed)
    if batch:
        fn = _resolve(module, batch, "batch")
        try:
            value = fn() if callable(fn) else fn
        except Exception as e:
            raise UserCodeError(_located(e, module.__file__), traceback.format_exc())
        if isinstance(value, dict):
            x, target = value.get("input"), value.get("target")
            return (x if isinstance(x, (tuple, list)) else (x,)), target
        if isinstance(value, (tuple, list)):
            if len(value) == 2 and isinstance(value[0], torch.Tensor):
                return (value[0],), value[1]
            return tuple(value), None
        return (value,), None
    if not input_shape:
        raise ProbeUsageError("give --input-shape (e.g. 8,3,32,32) or --batch FUNCTION")
    return tuple(torch.randn(*s) for s in parse_shapes(input_shape)), None


def _default_loss(output):
    if isinstance(output, torch.Tensor):
        return output.float().mean()
    if isinstance(output, dict):
        output = list(output.values())
    if isinstance(output, (tuple, list)):
        parts = [o.float().mean() for o in output if isinstance(o, torch.Tensor)
                 and o.is_floating_point()]
        if parts:
            return sum(parts)
    return None


def probe(file, model, input_shape=None, criterion=None, batch=None, seed=0, backward=True):
    """Returns {"sites": [...], "torch": version, "model": class name}."""
    module = load_user_module(file)
    torch.manual_seed(seed)
    net = build_model(module, model)
    inputs, target = make_batch(module, input_shape, batch, seed)
    crit = _resolve(module, criterion, "criterion") if criterion else None
    collector = Collector(net, owners=True)
    collector.attach_modules()
    try:
        try:
            with collector.function_mode():
                output = net(*inputs)
            loss = None
            if crit is not None:
                loss = crit(output, target) if target is not None else crit(output)
            else:
                loss = _default_loss(output)
            if backward and isinstance(loss, torch.Tensor) and loss.requires_grad:
                loss.backward()
        except Exception as e:
            raise UserCodeError(_located(e, file), traceback.format_exc())
    finally:
        collector.detach()
    return {"sites": collector.results(), "torch": torch.__version__,
            "model": type(net).__name__}
