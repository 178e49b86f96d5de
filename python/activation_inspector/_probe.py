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
import contextlib
import importlib.util
import inspect
import os
import sys
import traceback
import types

import torch

from . import _sites
from ._collector import Collector
from ._inputs import default_loss, embedding_inputs, float_dtype, hint, random_inputs, requires_two

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
    deeper = ""
    for fr in frames[frames.index(pick) + 1:]:   # raised in another file of the user's project
        if not _sites._is_library(fr.filename) and "importlib" not in fr.filename and not (
                "site-packages" in fr.filename or "dist-packages" in fr.filename):
            deeper = " (at %s:%d)" % (os.path.abspath(fr.filename), fr.lineno)
    return "%s:%d: %s%s" % (pick.filename, pick.lineno, desc, deeper)


class _Tail:
    """sys.stderr while the user's code runs: passes everything on and keeps the last few lines,
    so an exit (argparse's) can be explained by what the code printed just before it."""

    def __init__(self, stream):
        self.stream = stream
        self.text = ""

    def write(self, s):
        self.text = (self.text + s)[-4000:]
        return self.stream.write(s)

    def last_line(self):
        lines = [x.strip() for x in self.text.strip().splitlines() if x.strip()]
        return lines[-1] if lines else ""

    def __getattr__(self, name):
        return getattr(self.stream, name)


_tail = None


@contextlib.contextmanager
def user_process(path):
    """While the user's file is imported and its model runs: sys.argv is [the file] (a script
    with a module-level argparse sees no arguments, not the probe's own), and the last lines
    written to stderr are kept for the error message."""
    global _tail
    saved_argv, saved_err, saved_tail = sys.argv, sys.stderr, _tail
    sys.argv = [os.path.abspath(path)]
    _tail = sys.stderr = _Tail(saved_err)
    try:
        yield
    finally:
        sys.argv, sys.stderr, _tail = saved_argv, saved_err, saved_tail


def _exit_message(exc, path):
    """One line for a SystemExit raised while the file was imported (argparse, sys.exit())."""
    where = _located(exc, path).split(": SystemExit", 1)[0]
    said = _tail.last_line() if _tail is not None else ""
    code = exc.code
    what = "exit(%r)" % (code,) if code is None or isinstance(code, int) else "exit: %s" % code
    return ("%s: the file called %s while the probe imported it%s; the probe runs it with no "
            "command-line arguments (sys.argv is just the file): give its arguments defaults, "
            "or move the script under `if __name__ == \"__main__\":`" % (
                where, what, " (it printed: %s)" % said if said and isinstance(code, int) else ""))


def _package_of(path):
    """(folder to put on sys.path, dotted package name) when the file lies in a package (its
    folder has an __init__.py, and maybe the folders above), else (None, "")."""
    folder = os.path.dirname(path)
    parts = []
    while os.path.isfile(os.path.join(folder, "__init__.py")):
        name = os.path.basename(folder)
        if not name.isidentifier():
            break
        parts.insert(0, name)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return (folder, ".".join(parts)) if parts else (None, "")


def _import_package(root, package):
    """Import the file's package (its __init__ runs, as in `python -m package.file`); when that
    fails, stand-in package objects whose __path__ lets relative imports find the siblings."""
    if root not in sys.path:
        sys.path.insert(1, root)
    try:
        importlib.import_module(package)
        return
    except Exception:
        pass
    folder = root
    name = ""
    for part in package.split("."):
        folder = os.path.join(folder, part)
        name = name + "." + part if name else part
        pkg = sys.modules.get(name)
        if pkg is None or not hasattr(pkg, "__path__"):
            pkg = types.ModuleType(name)
            pkg.__path__ = [folder]
            pkg.__file__ = os.path.join(folder, "__init__.py")
            pkg.__package__ = name
            sys.modules[name] = pkg


def load_user_module(path):
    """The user's file as a module: `activation_inspector_user`, or, inside a package (so its
    relative imports work), `package.file` (also registered as activation_inspector_user)."""
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        raise ProbeUsageError("%s: no such file" % path)
    _sites.install()
    folder = os.path.dirname(path)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    stem = os.path.splitext(os.path.basename(path))[0]
    root, package = _package_of(path)
    name = USER_MODULE
    try:
        if package and stem.isidentifier() and stem != "__init__":
            _import_package(root, package)
            name = package + "." + stem
            done = sys.modules.get(name)    # the package's __init__ imported it already
            if done is not None and os.path.abspath(getattr(done, "__file__", "") or "") == path:
                sys.modules[USER_MODULE] = done
                return done
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        if name != USER_MODULE:
            module.__package__ = package
        sys.modules[name] = module
        sys.modules[USER_MODULE] = module
        spec.loader.exec_module(module)
    except KeyboardInterrupt:
        raise
    except SystemExit as e:   # a module-level argparse, sys.exit(), quit()
        raise UserCodeError(_exit_message(e, path), traceback.format_exc())
    except BaseException as e:  # SyntaxError, ImportError, ...
        raise UserCodeError(_located(e, path), traceback.format_exc())
    return module


def _module_classes(ns):
    return sorted(n for n, v in ns.items() if isinstance(v, type)
                  and issubclass(v, torch.nn.Module) and v.__module__ == ns.get("__name__"))


def _resolve(module, expr, what):
    """The value of --model/--batch/--criterion EXPR in the file's namespace. Errors while
    evaluating it (a constructor's missing argument, a NameError in its code) are the user's:
    file:line of the deepest frame in the file, else the expression itself."""
    ns = module.__dict__
    path = module.__file__
    if expr.isidentifier() and expr not in ns:
        raise ProbeUsageError("%s: no %s named %s (nn.Module classes there: %s)" % (
            path, what, expr, ", ".join(_module_classes(ns)) or "none"))
    try:
        code = compile(expr, "<%s %s>" % (what, expr), "eval")
    except SyntaxError as e:
        raise ProbeUsageError("--%s %r is not a Python expression: %s" % (what, expr, e.msg))
    try:
        return eval(code, ns)
    except (Exception, SystemExit) as e:
        raise UserCodeError(_expr_error(e, path, what, expr, ns), traceback.format_exc())


def _expr_error(e, path, what, expr, ns):
    line = _located(e, path)
    if not line.startswith(path + ": "):       # it names a line of the user's code
        return line
    desc = line[len(path) + 2:]
    hint = ""
    if isinstance(e, NameError):
        hint = " (nn.Module classes there: %s)" % (", ".join(_module_classes(ns)) or "none")
    elif isinstance(e, TypeError) and "required positional argument" in str(e) and \
            what == "model" and expr.isidentifier():
        hint = " (give them: --model \"%s(...)\")" % expr
    return "%s: --%s %s: %s%s" % (path, what, expr, desc, hint)


def build_model(module, expr):
    path = module.__file__
    value = _resolve(module, expr, "model")
    try:
        if isinstance(value, type) and issubclass(value, torch.nn.Module):
            value = value()
        elif not isinstance(value, torch.nn.Module) and callable(value):
            value = value()
    except (Exception, SystemExit) as e:
        raise UserCodeError(_expr_error(e, path, "model", expr, module.__dict__),
                            traceback.format_exc())
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


def make_batch(module, input_shape, batch, seed, net=None):
    """(inputs tuple, target or None, keyword inputs). A 2-tuple from --batch is (input,
    target), unless the model's forward() requires two inputs; a dict without "input" is
    passed as keyword arguments (HF style: model(**batch)), "target" apart."""
    torch.manual_seed(seed)
    if batch:
        fn = _resolve(module, batch, "batch")
        try:
            value = fn() if callable(fn) else fn
        except (Exception, SystemExit) as e:
            raise UserCodeError(_located(e, module.__file__), traceback.format_exc())
        if isinstance(value, dict):
            if "input" not in value:
                return (), value.get("target"), {k: v for k, v in value.items() if k != "target"}
            x, target = value.get("input"), value.get("target")
            return (x if isinstance(x, (tuple, list)) else (x,)), target, {}
        if isinstance(value, (tuple, list)):
            if len(value) == 2 and isinstance(value[0], torch.Tensor) and not (
                    net is not None and requires_two(net)):
                return (value[0],), value[1], {}
            return tuple(value), None, {}
        return (value,), None, {}
    if not input_shape:
        raise ProbeUsageError("give --input-shape (e.g. 8,3,32,32) or --batch FUNCTION")
    return random_inputs(parse_shapes(input_shape), {}, float_dtype(net)), None, {}


def check_arity(net, inputs, path, given, kwargs=None):
    """A clear error when forward() cannot take the inputs given (before running it)."""
    fwd = getattr(type(net), "forward", None)
    try:
        inspect.signature(net.forward).bind(*inputs, **(kwargs or {}))
        return
    except TypeError as e:
        why = str(e)
    except ValueError:
        return
    try:
        sig = str(inspect.signature(net.forward))
        file = os.path.abspath(inspect.getsourcefile(fwd))
        line = inspect.getsourcelines(fwd)[1]
        where = "%s:%d" % (file, line)
    except (OSError, TypeError):
        sig, where = "(...)", path
    n = len(inputs)
    if kwargs:
        given = "and keywords %s %s" % (", ".join(kwargs), given)
    raise UserCodeError("%s: TypeError: %s.forward%s cannot take the %d input%s %s (%s): give "
                        "one shape per input separated by ';' (8,16;8,4), or --batch FN returning "
                        "them (a tuple of inputs, or {\"input\": (x1, x2), \"target\": y})" % (
                            where, type(net).__name__, sig, n, "" if n == 1 else "s", given,
                            why))


def probe(file, model, input_shape=None, criterion=None, batch=None, seed=0, backward=True):
    """Returns {"sites": [...], "torch": version, "model": class name}."""
    with user_process(file):
        return _probe(file, model, input_shape, criterion, batch, seed, backward)


def _probe(file, model, input_shape, criterion, batch, seed, backward):
    module = load_user_module(file)
    torch.manual_seed(seed)
    net = build_model(module, model)
    inputs, target, kwargs = make_batch(module, input_shape, batch, seed, net)
    given = "from --batch %s" % batch if batch else "of --input-shape %s" % input_shape
    check_arity(net, inputs, file, given, kwargs)
    if not batch:
        try:
            integer = embedding_inputs(net, inputs)
        except Exception:
            integer = {}
        if integer:       # token ids: integers in range for the embedding they feed
            torch.manual_seed(seed)
            inputs = random_inputs(parse_shapes(input_shape), integer, float_dtype(net))
    crit = _resolve(module, criterion, "criterion") if criterion else None
    collector = Collector(net, owners=True)
    collector.attach_modules()
    try:
        try:
            with collector.function_mode():
                output = net(*inputs, **kwargs)
            loss = None
            if crit is not None:
                loss = crit(output, target) if target is not None else crit(output)
            else:
                loss = default_loss(output)
            if backward and isinstance(loss, torch.Tensor) and loss.requires_grad:
                loss.backward()
        except (Exception, SystemExit) as e:
            raise UserCodeError(_located(e, file) + hint(e), traceback.format_exc())
    finally:
        collector.detach()
    return {"sites": collector.results(), "torch": torch.__version__,
            "model": type(net).__name__}
