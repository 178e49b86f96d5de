"""Hooks that feed SiteStats: forward pre/post hooks on activation modules, and a
TorchFunctionMode for functional activations (F.relu, torch.sigmoid, x.relu(), ...).

Why TorchFunctionMode: it is torch's function-override mechanism, present as
torch.overrides.TorchFunctionMode from torch 1.13 through 2.x, and it sees F.*, torch.* and
Tensor-method calls alike without patching torch. Calls made by torch itself inside an
activation module (nn.ReLU.forward calls F.relu) are not counted twice: the mode ignores
calls while an activation module runs. A call inside a torch function (only the outermost
function reaches the mode) is not seen again.

Sites: one per module (a module called several times aggregates), and one per
(file, line, call as written) for functions (a line run several times aggregates).
"""
import os
import sys

import torch
from torch.overrides import TorchFunctionMode

from . import _kinds, _sites
from ._stats import SiteStats


def _first_tensor(args, kwargs):
    for a in args:
        if isinstance(a, torch.Tensor):
            return a
    for a in kwargs.values():
        if isinstance(a, torch.Tensor):
            return a
    return None


def _params_of(kind, module=None, args=(), kwargs=None):
    """The parameters the statistics need: threshold's threshold, hardtanh's bounds."""
    kwargs = kwargs or {}
    names = {"threshold": ("threshold",), "hardtanh": ("min_val", "max_val")}.get(kind)
    if names is None:
        return None
    out = {}
    for i, n in enumerate(names):
        if module is not None:
            v = getattr(module, n, None)
        else:
            v = kwargs.get(n, args[i + 1] if len(args) > i + 1 else None)
        if isinstance(v, (int, float)):
            out[n] = float(v)
    return out


_SCRIPTED = tuple(c for c in (getattr(torch.jit, "ScriptModule", None),
                              getattr(torch.jit, "RecursiveScriptModule", None)) if c)


class Collector:
    def __init__(self, model, owners=False):
        """owners: also follow which library module is running (one probe pass, not watch), so a
        functional activation that a torch module calls inside (the GELU of each
        TransformerEncoderLayer) is a site of that module, not of the user's line."""
        self.model = model
        self.sites = {}            # key -> SiteStats (insertion order = first call order)
        self.handles = []
        self.depth = 0             # > 0 while an activation module runs
        self.grads = True
        self.on_grad = lambda site, g: site.add_grad(g)
        self._modules = []
        self._library = []         # (name, module) of torch's own container modules
        self.running = []          # the library modules whose forward is running, innermost last
        self.layout = None         # features of the last linear-like layer's output: its size
        for name, m in model.named_modules():
            if isinstance(m, _SCRIPTED):    # TorchScript: no Python hooks, no function mode
                continue
            kind = _kinds.module_kind(m)
            if kind is not None:
                self._modules.append((name, m, kind))
            elif owners and name and type(m).__module__.startswith("torch."):
                self._library.append((name, m))

    # ----- modules
    def attach_modules(self):
        for name, m, kind in self._modules:
            self.handles.append(m.register_forward_pre_hook(self._pre_hook(name, m, kind)))
            self.handles.append(m.register_forward_hook(self._post_hook(name, m, kind)))
        for name, m in self._library:
            self.handles.append(m.register_forward_pre_hook(self._enter(name, m)))
            self.handles.append(m.register_forward_hook(self._leave(m)))

    def _enter(self, name, m):
        def hook(module, inputs):
            self.running.append((name, m))
        return hook

    def _leave(self, m):
        def hook(module, inputs, output):
            while self.running:
                if self.running.pop()[1] is m:
                    break
        return hook

    def detach(self):
        for h in self.handles:
            h.remove()
        self.handles = []
        self.depth = 0
        self.running = []
        self.layout = None

    def _module_site(self, name, m, kind):
        key = ("m", id(m))
        s = self.sites.get(key)
        if s is None:
            file, line, exact = _sites.construction_site(m, name, self.model)
            s = SiteStats(name or type(m).__name__, kind, file, line, exact)
            self.sites[key] = s
        return s

    def _pre_hook(self, name, m, kind):
        def hook(module, inputs):
            self.depth += 1
            x = _first_tensor(inputs, {})
            if x is not None:
                self._module_site(name, m, kind).before(x, _params_of(kind, module=m),
                                                        self._units_last(x))
        return hook

    def _post_hook(self, name, m, kind):
        def hook(module, inputs, output):
            self.depth = max(0, self.depth - 1)
            y = output if isinstance(output, torch.Tensor) else _first_tensor(output, {}) \
                if isinstance(output, (tuple, list)) else None
            if y is not None:
                s = self._module_site(name, m, kind)
                s.after(y)
                self._grad_hook(s, y)
        return hook

    def _grad_hook(self, s, y):
        if self.grads and y.requires_grad:
            y.register_hook(lambda g: self.on_grad(s, g))

    # ----- functions
    def function_mode(self):
        return _Mode(self)

    def on_function(self, func, args, kwargs):
        layout = _kinds.LAYOUT.get(func)
        if layout is not None:       # a layer, never an activation: note where its units are
            out = func(*args, **kwargs)
            y = out[0] if isinstance(out, (tuple, list)) and out else out
            if isinstance(y, torch.Tensor) and y.dim() >= 1:
                self.layout = y.shape[-1] if layout == "last" else None
            return out
        entry = _kinds.FUNCTION_KINDS.get(func) if self.depth == 0 else None
        x = _first_tensor(args, kwargs) if entry is not None else None
        if x is None:
            return func(*args, **kwargs)
        kind, canonical = entry
        owner = self._owner()
        if owner is not None:
            # called by torch's own code inside a library module: a site of that module
            name, m = owner
            key = ("o", id(m), canonical)
            s = self.sites.get(key)
            if s is None:
                file, line, exact = _sites.construction_site(m, name, self.model)
                s = self.sites[key] = SiteStats(name, kind, file, line, exact)
        else:
            frame = _sites.user_frame(sys._getframe(1))
            if frame is None:
                return func(*args, **kwargs)
            file = os.path.abspath(frame.f_code.co_filename)
            line, col, pos = _sites.call_position(frame)
            written = (_sites.call_text(file, pos, canonical) if pos else "") or \
                _sites.call_as_written(file, line, canonical)
            key = ("f", file, line, col, written, kind)
            s = self.sites.get(key)
            if s is None:
                s = self.sites[key] = SiteStats(written, kind, file, line,
                                                 column=col + 1 if col is not None else None)
        s.before(x, _params_of(kind, args=args, kwargs=kwargs), self._units_last(x))
        out = func(*args, **kwargs)
        y = out if isinstance(out, torch.Tensor) else None
        if y is not None:
            s.after(y)
            self._grad_hook(s, y)
        return out

    def _units_last(self, x):
        """The units of x are its last dim: the last layer-like function before it was linear
        (not a convolution, norm or pooling over channels), and x's last dim is that layer's
        feature count (not a reshape of its output into (N, C, H, W))."""
        return self.layout is not None and x.dim() > 2 and x.shape[-1] == self.layout

    def _owner(self):
        """The innermost running library module, when the activation was called by torch's code
        (not by the user's own forward running inside it, e.g. a user module in a Sequential)."""
        if not self.running:
            return None
        f = sys._getframe(2)
        while f is not None and (_sites.is_own(f.f_code.co_filename) or _sites.is_dispatch(f.f_code.co_filename)):
            f = f.f_back
        if f is None or not _sites.is_torch(f.f_code.co_filename):
            return None
        return self.running[-1]

    def results(self):
        return [s.to_json() for s in self.sites.values()]


class _Mode(TorchFunctionMode):
    def __init__(self, collector):
        super().__init__()
        self.collector = collector

    def __torch_function__(self, func, types, args=(), kwargs=None):
        return self.collector.on_function(func, args, kwargs or {})
