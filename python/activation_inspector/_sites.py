"""Where a site lives in the user's code.

Modules: the file and line where the module was constructed, recorded by a wrapper around
torch.nn.Module.__init__ installed when this package is imported (so import it before the
model is built; the probe always does). Functions: the first frame of the call stack outside
torch and this package, looked up when the function runs.
"""
import inspect
import linecache
import os
import re
import sys
import weakref

import torch

_TORCH_DIR = os.path.dirname(os.path.abspath(torch.__file__)) + os.sep
_OWN_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep

_construction = weakref.WeakKeyDictionary()   # module -> (file, line)
_installed = False


def _is_library(filename):
    if filename.startswith("<"):
        return True
    f = os.path.abspath(filename)
    return f.startswith(_TORCH_DIR) or f.startswith(_OWN_DIR)


def is_own(filename):
    """A frame of this package."""
    return os.path.abspath(filename).startswith(_OWN_DIR)


# torch's functional API and its __torch_function__ dispatch: frames between the caller and
# the mode (F.relu's Python wrapper, handle_torch_function), not the caller itself
_DISPATCH = tuple(os.path.join(_TORCH_DIR, p) for p in ("overrides.py", "functional.py", "_tensor.py", os.path.join("nn", "functional.py")))


def is_dispatch(filename):
    """A frame of torch's functional API or its dispatch, which only passes a call on."""
    return os.path.abspath(filename).startswith(_DISPATCH)


def is_torch(filename):
    """A frame of torch's own Python code."""
    return os.path.abspath(filename).startswith(_TORCH_DIR)


def _third_party(filename):
    """An installed package (timm, transformers, …): the user's own line is further out."""
    return "site-packages" in filename or "dist-packages" in filename


def _past_third_party(f):
    """From a frame outside torch and this package: the first frame from it outwards that is
    not in an installed package either (the user's line that called timm's create_act_layer),
    else the frame itself."""
    g = f
    while g is not None:
        name = g.f_code.co_filename
        if not _is_library(name) and not _third_party(name):
            return g
        g = g.f_back
    return f


def user_frame(start):
    """The first frame from `start` outwards that is neither torch nor this package (nor an
    installed package, when the user's code is further out)."""
    f = start
    while f is not None:
        if not _is_library(f.f_code.co_filename):
            return _past_third_party(f) if _third_party(f.f_code.co_filename) else f
        f = f.f_back
    return None


def install():
    """Wrap nn.Module.__init__ to record each module's construction site (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    original = torch.nn.Module.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        try:
            if self in _construction:
                return
            f = sys._getframe(1)
            # Skip library frames and the __init__ chain of this very object (a user's
            # subclass calling super().__init__()), so the line is where it was built.
            while f is not None and (_is_library(f.f_code.co_filename) or (
                    f.f_code.co_name == "__init__" and f.f_locals.get("self") is self)):
                f = f.f_back
            if f is not None and _third_party(f.f_code.co_filename):
                f = _past_third_party(f)
            if f is not None:
                _construction[self] = (os.path.abspath(f.f_code.co_filename), f.f_lineno)
        except Exception:  # never break the user's model over bookkeeping
            pass

    __init__.__wrapped__ = original
    torch.nn.Module.__init__ = __init__


def construction_site(module, qualified_name, root):
    """(file, line, exact) for a module: recorded; else (exact False) a guess from the source of
    the nearest user-written ancestor (`self.<attr> = ...`); else where its nearest recorded
    ancestor was built; else (None, None, False)."""
    site = _construction.get(module)
    if site is not None:
        return site[0], site[1], True
    parts = qualified_name.split(".") if qualified_name else []
    modules = [root]
    for p in parts[:-1]:
        modules.append(getattr(modules[-1], p))
    for depth in range(len(parts) - 1, -1, -1):
        owner = modules[depth]
        attr = parts[depth]
        try:
            lines, start = inspect.getsourcelines(type(owner))
            filename = os.path.abspath(inspect.getsourcefile(type(owner)))
        except (OSError, TypeError):
            continue
        if _is_library(filename):
            continue
        pat = re.compile(r"\bself\.%s\s*(:[^=]*)?=" % re.escape(attr))
        for i, text in enumerate(lines):
            if pat.search(text):
                return filename, start + i, False
    # A copy (nn.TransformerEncoder's deep-copied layers) was never constructed: the line that
    # built its nearest recorded container (the ModuleList torch made for the copies).
    for owner in reversed(modules):
        site = _construction.get(owner)
        if site is not None:
            return site[0], site[1], False
    return None, None, False


_CALL_CACHE = {}


def call_position(frame):
    """(line, column) of the call the frame is executing; column is None before Python 3.11
    (no co_positions), where calls on one line share a site per spelling."""
    line = frame.f_lineno
    positions = getattr(frame.f_code, "co_positions", None)
    if positions is None:
        return line, None, None
    try:
        for i, pos in enumerate(positions()):
            if i == frame.f_lasti // 2:
                if pos[0] is not None and pos[2] is not None:
                    return pos[0], pos[2], pos
                break
    except Exception:
        pass
    return line, None, None


def call_text(filename, pos, canonical=""):
    """The callee as written (`F.relu`, `x.relu`) from an instruction's source span. A method
    called on a call's result spans both (`F.relu(h).sigmoid()`): its name runs to `.sigmoid`."""
    line, end_line, col, end_col = pos
    text = linecache.getline(filename, line)
    if end_line == line and end_col is not None:
        text = text[col:end_col]
    else:
        text = text[col:]
    head = text.split("(", 1)[0].strip()
    short = canonical.rsplit(".", 1)[-1]
    if short and head.rsplit(".", 1)[-1] != short:
        i = text.rfind("." + short + "(")
        if i >= 0:
            receiver = text[:i].strip()
            if len(receiver) > 24:     # a long expression: `(...).softmax`
                receiver = "(...)"
            return receiver + "." + short
    return head if re.fullmatch(r"[A-Za-z_][\w.]*", head or "") else ""


def call_as_written(filename, line, canonical):
    """The spelling of the call on that line (`F.relu`, `torch.sigmoid`, `x.relu`), else the
    canonical one."""
    short = canonical.rsplit(".", 1)[-1]
    key = (filename, line, short)
    hit = _CALL_CACHE.get(key)
    if hit is None:
        text = linecache.getline(filename, line)
        m = re.search(r"([A-Za-z_][\w.]*\.)?\b%s\s*\(" % re.escape(short), text)
        hit = m.group(0).rstrip("( \t") if m else ""
        _CALL_CACHE[key] = hit
    if hit:
        return hit
    return canonical[1:] if canonical.startswith(".") else canonical
