"""The probe's inputs and loss: random batches (integers for inputs that feed an embedding),
how a --batch tuple maps onto forward(), the default loss over structured outputs, and hints
for errors the probe's own choices cause (see docs/probe.md, "Batch" and "Loss")."""
import inspect

import torch


def float_dtype(net):
    """float64 for a model whose parameters are float64 (built with .double()), else the
    default float32."""
    for p in (net.parameters() if net is not None else ()):
        if p.is_floating_point():
            return torch.float64 if p.dtype == torch.float64 else None
    return None


def random_inputs(shapes, integer, dtype=None):
    """torch.randn(*shape) per input, drawn in order; an input i in `integer` (i -> n) is
    torch.randint(0, n, shape) instead (token indices for an embedding)."""
    return tuple(torch.randint(0, integer[i], tuple(s)) if i in integer else
                 torch.randn(*s, dtype=dtype) for i, s in enumerate(shapes))


class _Found(Exception):
    pass


_EMBEDDINGS = (torch.nn.Embedding, torch.nn.EmbeddingBag)


def embedding_inputs(net, inputs):
    """{input index: num_embeddings} for the inputs that reach an nn.Embedding (or
    EmbeddingBag) directly, as the tensor given or a view of it (token ids). Found by trial
    forwards under no_grad that stop at the first embedding fed a floating-point input; the
    random generator's state and the modules' buffers (BatchNorm's running statistics) are
    restored afterwards, so the trial leaves no trace. {} when the model has no embedding."""
    embeddings = [m for m in net.modules() if isinstance(m, _EMBEDDINGS)]
    if not embeddings or not inputs:
        return {}
    found = {}
    current = list(inputs)

    def pre(module, args):
        x = args[0] if args else None
        if not isinstance(x, torch.Tensor) or not x.is_floating_point():
            return None
        for i, t in enumerate(current):
            if i not in found and (x is t or x._base is t or (
                    x._base is not None and x._base is t._base and t._base is not None)):
                found[i] = module.num_embeddings
                raise _Found()
        return None

    rng = torch.get_rng_state()
    buffers = [(b, b.detach().clone()) for b in net.buffers()]
    handles = [m.register_forward_pre_hook(pre) for m in embeddings]
    try:
        for _ in range(len(inputs)):
            before = len(found)
            try:
                with torch.no_grad():
                    net(*current)
            except _Found:
                pass
            except Exception:
                break
            if len(found) == before:
                break
            current = [torch.zeros(t.shape, dtype=torch.long) if i in found else t
                       for i, t in enumerate(current)]
    finally:
        for h in handles:
            h.remove()
        with torch.no_grad():
            for b, v in buffers:
                b.copy_(v)
        torch.set_rng_state(rng)
    return found


def requires_two(net):
    """forward() needs two positional inputs (so a 2-tuple batch is two inputs, not
    (input, target))."""
    try:
        sig = inspect.signature(net.forward)
    except (TypeError, ValueError):
        return False
    try:
        sig.bind(None)
        return False
    except TypeError:
        pass
    try:
        sig.bind(None, None)
        return True
    except TypeError:
        return False


def _output_tensors(output, depth=0):
    """The floating-point tensors in a model's output: a tensor, or inside tuples, lists,
    namedtuples, dicts (HF's ModelOutput is one) and dataclasses, a few levels deep."""
    if isinstance(output, torch.Tensor):
        return [output] if output.is_floating_point() or output.is_complex() else []
    if depth > 4:
        return []
    if isinstance(output, dict):
        items = list(output.values())
    elif isinstance(output, (tuple, list)):
        items = list(output)
    elif hasattr(output, "__dataclass_fields__"):
        items = [getattr(output, f, None) for f in output.__dataclass_fields__]
    else:
        return []
    return [t for o in items for t in _output_tensors(o, depth + 1)]


def hint(e):
    """What to do about errors that the probe's own choices (random batch, train mode) cause."""
    text = str(e)
    if "Expected more than 1 value per channel when training" in text:
        return (" (BatchNorm in training mode needs more than one value per channel: a batch "
                "of 2 or more in --input-shape)")
    if "Expected tensor for argument #1 'indices'" in text or (
            "expected scalar type Long" in text):
        return (" (this input holds integer ids: the probe draws them itself only when the "
                "input goes straight into an nn.Embedding; else use --batch FN)")
    if "index out of range in self" in text:
        return (" (an embedding got ids outside its range, e.g. from a random float input "
                "converted with .long(): use --batch FN for ids)")
    return ""


def default_loss(output):
    """output.mean(); for several output tensors, the sum of the means of those that carry a
    gradient (all of them when none does)."""
    if isinstance(output, torch.Tensor):
        return output.float().mean()
    parts = _output_tensors(output)
    live = [t for t in parts if t.requires_grad]
    parts = live or parts
    if parts:
        return sum(t.real.float().mean() if t.is_complex() else t.float().mean() for t in parts)
    return None
