"""Which modules and functions are activations, their catalog ids, and the rules that
define "dead" and "saturated" for each (docs/probe.md).

Catalog ids are those of the extension's catalog (src/engine/activations/defs/*.ts).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

# torch.nn activation classes -> catalog id. Looked up along the MRO, so a user's subclass of
# nn.ReLU is a ReLU site. Classes missing from an older torch are skipped.
_MODULE_NAMES = {
    "ReLU": "relu", "ReLU6": "relu6", "LeakyReLU": "leaky_relu", "PReLU": "prelu",
    "RReLU": "rrelu", "ELU": "elu", "CELU": "celu", "SELU": "selu", "GELU": "gelu",
    "SiLU": "silu", "Mish": "mish", "Sigmoid": "sigmoid", "Tanh": "tanh",
    "Hardtanh": "hardtanh", "Hardsigmoid": "hardsigmoid", "Hardswish": "hardswish",
    "Softplus": "softplus", "Softsign": "softsign", "Tanhshrink": "tanhshrink",
    "Softshrink": "softshrink", "Hardshrink": "hardshrink", "Threshold": "threshold",
    "LogSigmoid": "log_sigmoid", "Softmax": "softmax", "Softmax2d": "softmax",
    "LogSoftmax": "log_softmax", "Softmin": "softmin", "GLU": "glu",
}
MODULE_KINDS = {}
for _n, _k in _MODULE_NAMES.items():
    _cls = getattr(nn, _n, None)
    if _cls is not None:
        MODULE_KINDS[_cls] = _k

# User-written activation modules the code scanner also recognises by class name
# (e.g. `class Swish(nn.Module)`), lower-cased and without underscores.
_CLASS_NAME_ALIASES = {
    "swish": "silu", "silu": "silu", "mish": "mish", "gelu": "gelu", "quickgelu": "gelu",
    "newgelu": "gelu", "gelunew": "gelu", "relu": "relu", "leakyrelu": "leaky_relu",
    "hardswish": "hardswish", "hswish": "hardswish", "hardsigmoid": "hardsigmoid",
    "hsigmoid": "hardsigmoid", "sigmoid": "sigmoid", "tanh": "tanh", "elu": "elu",
    "selu": "selu", "squaredrelu": "relu", "relusquared": "relu",
}


def module_kind(module):
    """The catalog id of an activation module, or None."""
    for cls in type(module).__mro__:
        k = MODULE_KINDS.get(cls)
        if k is not None:
            return k
        if cls is nn.Module:
            break
    name = type(module).__name__.lower().replace("_", "")
    if type(module).__module__.startswith("torch."):
        return None
    return _CLASS_NAME_ALIASES.get(name)


def _fn_kind(name):
    n = name[:-1] if name.endswith("_") and not name.endswith("__") else name
    return {"logsigmoid": "log_sigmoid", "expit": "sigmoid"}.get(n, n)


_F_NAMES = ["relu", "relu_", "relu6", "leaky_relu", "leaky_relu_", "prelu", "rrelu", "rrelu_",
            "elu", "elu_", "celu", "celu_", "selu", "selu_", "gelu", "silu", "mish", "sigmoid",
            "tanh", "hardtanh", "hardtanh_", "hardsigmoid", "hardswish", "softplus", "softsign",
            "tanhshrink", "softshrink", "hardshrink", "threshold", "threshold_", "logsigmoid",
            "softmax", "log_softmax", "softmin", "glu"]
_TORCH_NAMES = ["relu", "relu_", "sigmoid", "sigmoid_", "tanh", "tanh_", "selu", "selu_",
                "celu", "celu_", "rrelu", "rrelu_", "prelu", "threshold", "threshold_", "softmax",
                "log_softmax", "hardshrink"]
_TENSOR_NAMES = ["relu", "relu_", "sigmoid", "sigmoid_", "tanh", "tanh_", "softmax",
                 "log_softmax", "hardshrink"]

# function object -> (catalog id, prefix for the canonical spelling)
FUNCTION_KINDS = {}
for _n in _F_NAMES:
    _f = getattr(F, _n, None)
    if _f is not None:
        FUNCTION_KINDS.setdefault(_f, (_fn_kind(_n), "F." + _n))
for _n in _TORCH_NAMES:
    _f = getattr(torch, _n, None)
    if _f is not None:
        FUNCTION_KINDS.setdefault(_f, (_fn_kind(_n), "torch." + _n))
for _n in ["expit"]:
    _f = getattr(getattr(torch, "special", None), _n, None)
    if _f is not None:
        FUNCTION_KINDS.setdefault(_f, ("sigmoid", "torch.special." + _n))
for _n in _TENSOR_NAMES:
    _f = getattr(torch.Tensor, _n, None)
    if _f is not None:
        FUNCTION_KINDS.setdefault(_f, (_fn_kind(_n), "." + _n))

# Dead units. "active" for a unit = at least one element over the batch (and over the spatial
# positions of a channel) with output > 0 (ACTIVE_BY_OUTPUT) or input > 0 (ACTIVE_BY_INPUT:
# functions with a non-zero negative side, where "dead" means stuck in the negative regime).
ACTIVE_BY_OUTPUT = {"relu", "relu6"}
ACTIVE_BY_INPUT = {"leaky_relu", "prelu", "rrelu", "elu", "celu", "selu", "gelu", "silu",
                   "mish", "hardswish", "threshold"}

# Saturation: |f'(x)| < 1% of max |f'|. Where f' is a function of the output y it is tested on
# y; the piecewise-linear ones are tested on the input x (before an in-place op overwrites it).
SATURATING_BY_OUTPUT = {"sigmoid", "tanh", "softsign", "log_sigmoid"}
SATURATING_BY_INPUT = {"hardsigmoid", "hardtanh", "relu6"}
SATURATING = SATURATING_BY_OUTPUT | SATURATING_BY_INPUT


def saturated_by_output(kind, y):
    if kind == "sigmoid":          # f' = y(1-y), max 1/4
        return y * (1 - y) < 0.01 * 0.25
    if kind == "tanh":             # f' = 1 - y^2, max 1
        return 1 - y * y < 0.01
    if kind == "softsign":         # f' = 1/(1+|x|)^2 = (1-|y|)^2, max 1
        return (1 - y.abs()) ** 2 < 0.01
    if kind == "log_sigmoid":      # f' = 1 - sigmoid(x) = 1 - e^y, max 1 (x -> -inf)
        return 1 - torch.exp(y) < 0.01
    raise KeyError(kind)


def saturated_by_input(kind, x, params):
    if kind == "hardsigmoid":      # f' = 1/6 on (-3, 3), else 0
        return (x <= -3) | (x >= 3)
    if kind == "hardtanh":         # f' = 1 on [min_val, max_val], else 0
        return (x < params.get("min_val", -1.0)) | (x > params.get("max_val", 1.0))
    if kind == "relu6":            # only the upper flat part; the lower one counts as dead
        return x > 6
    raise KeyError(kind)

# Which dimension holds the units of the tensors a layer produces: "first" (dim 1: channels
# of a convolution, batch norm or pooling, (N, C, ...)) or "last" (features of a linear layer,
# layer norm, embedding, RNN or attention, (..., F): (N, T, F) sequences, ConvNeXt's
# channels-last MLP). The collector remembers the last such function that ran before an
# activation (they all reach the function mode, module or functional call alike), and for
# "last" its output's feature count: an activation whose input ends in that many is counted
# per feature, anything else (a linear output reshaped to (N, C, H, W)) per dim 1.
LAYOUT = {}
for _n in ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d", "batch_norm", "instance_norm", "group_norm",
           "local_response_norm", "max_pool1d", "max_pool2d", "max_pool3d", "avg_pool1d",
           "avg_pool2d", "avg_pool3d", "adaptive_avg_pool1d", "adaptive_avg_pool2d",
           "adaptive_avg_pool3d", "adaptive_max_pool1d", "adaptive_max_pool2d",
           "adaptive_max_pool3d", "lp_pool1d", "lp_pool2d", "pixel_shuffle", "pixel_unshuffle"]:
    for _owner in (F, torch):
        _f = getattr(_owner, _n, None)
        if _f is not None:
            LAYOUT[_f] = "first"
for _n in ["linear", "bilinear", "layer_norm", "rms_norm", "embedding", "embedding_bag",
           "multi_head_attention_forward", "scaled_dot_product_attention"]:
    _f = getattr(F, _n, None)
    if _f is not None:
        LAYOUT[_f] = "last"
for _n in ["lstm", "gru", "rnn_tanh", "rnn_relu", "matmul", "bmm", "mm", "addmm", "baddbmm"]:
    _f = getattr(torch, _n, None)
    if _f is not None:
        LAYOUT[_f] = "last"
for _n in ["matmul", "__matmul__", "bmm", "mm"]:
    _f = getattr(torch.Tensor, _n, None)
    if _f is not None:
        LAYOUT[_f] = "last"
