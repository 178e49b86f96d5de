"""Statistics of one activation site, accumulated over every call in one step.

Histogram: the pre-activation values (the function's input), 32 fixed bins of width 0.5 on
[-8, 8] (`edges`, 33 numbers; the last bin includes 8), with the count below -8 and above 8
apart (`under`, `over`); NaN and ±Inf are counted in `nan_in`/`inf_in`, not binned.
mean/std: of the output (std with divisor n, over every element); mean_in/std_in: of the input.
Sums use torch's reductions in the tensor's dtype; elementwise tests (bins, signs, saturation) run in the
tensor's own dtype, so a float32 value within an ulp of a bin edge falls where float32 puts it.
A unit is dim 1 of an (N, C, ...) tensor (a channel for convolutions, a feature for (N, F)),
every element of a 1-D tensor. Repeated calls in one step aggregate: a unit is dead if it was
never active in any call (calls with different unit counts keep their units apart).
"""
import math

import torch

from . import _kinds

HIST_LO, HIST_HI, HIST_BINS = -8.0, 8.0, 32
EDGES = [HIST_LO + i * (HIST_HI - HIST_LO) / HIST_BINS for i in range(HIST_BINS + 1)]


def _units(mask, last=False):
    """Reduce an elementwise bool tensor to one bool per unit (any over the other dims): dim 1,
    or the last dim when `last` (features of a linear layer in an (N, T, F) tensor)."""
    if mask.dim() == 0:
        return mask.reshape(1)
    if mask.dim() == 1:
        return mask
    if last and mask.dim() > 2:
        return mask.reshape(-1, mask.shape[-1]).any(dim=0)
    m = mask.any(dim=0)                      # over the batch first: no transposed copy
    return m if m.dim() == 1 else m.reshape(m.shape[0], -1).any(dim=1)


def _count(mask):
    return int(torch.count_nonzero(mask))


def _as_float(t):
    """float32/float64 stay as they are (no copy); half, bfloat16 and integers go to float32."""
    return t if t.dtype in (torch.float32, torch.float64) else t.float()


class _Moments:
    """Count, sum and sum of squares of the finite elements, and the NaN/Inf counts. Sums use
    torch's own reductions in the tensor's dtype (float32: cascade summation, relative error
    ~1e-7), added up across calls in Python floats. Fast path: a finite sum means no NaN or
    Inf, so no mask is built."""
    __slots__ = ("n", "s", "ss", "nan", "inf")

    def __init__(self):
        self.n = 0
        self.s = 0.0
        self.ss = 0.0
        self.nan = 0
        self.inf = 0

    def add(self, x):
        """Returns x itself when all finite, else its finite elements (1-D)."""
        s = float(x.sum())
        if math.isfinite(s):
            ss = float((x * x).sum())
            if not math.isfinite(ss):                  # x*x overflowed the tensor's dtype
                ss = float((x.double() ** 2).sum())
            self.n += x.numel()
            self.s += s
            self.ss += ss
            return x
        nan = _count(torch.isnan(x))
        inf = _count(torch.isinf(x))
        self.nan += nan
        self.inf += inf
        f = x[torch.isfinite(x)]
        self.n += f.numel()
        self.s += float(f.sum())
        self.ss += float((f * f).sum())
        return f

    def mean(self):
        return self.s / self.n if self.n else None

    def std(self):
        if not self.n:
            return None
        m = self.s / self.n
        return math.sqrt(max(self.ss / self.n - m * m, 0.0))


class SiteStats:
    def __init__(self, name, kind, file, line, exact_line=True, column=None):
        self.name, self.kind, self.file, self.line = name, kind, file, line
        self.column = column
        self.exact_line = exact_line
        self.shape = None
        self.calls = 0
        self.inp = _Moments()
        self.out = _Moments()
        self.hist = [0] * HIST_BINS
        self.under = 0
        self.over = 0
        self.elements = 0
        self.zeros = 0
        self.saturated = 0
        self.active = {}           # unit count -> list of bool tensors (one per distinct set)
        self.grad_sq = None
        self.last = False          # the units of the current call are the last dim

    # Two phases, because an in-place activation overwrites its input: everything that needs
    # the pre-activation is computed before the function runs.
    def before(self, pre, params=None, last=False):
        """params: {"threshold"} for threshold, {"min_val", "max_val"} for hardtanh; last: the
        units are the last dim (else dim 1)."""
        k = self.kind
        self.last = last
        with torch.no_grad():
            x = _as_float(pre.detach())
            f = self.inp.add(x)
            if f.numel():
                counts = torch.histc(f, bins=HIST_BINS, min=HIST_LO, max=HIST_HI).tolist()
                over = _count(f > HIST_HI)
                binned = int(sum(counts))
                self.hist = [a + int(b) for a, b in zip(self.hist, counts)]
                self.over += over
                self.under += f.numel() - binned - over
            if k in _kinds.ACTIVE_BY_INPUT:
                thr = (params or {}).get("threshold", 0.0) if k == "threshold" else 0.0
                self._add_active(_units(x > thr, last))
            if k in _kinds.SATURATING_BY_INPUT:
                self.saturated += _count(_kinds.saturated_by_input(k, x, params or {}))

    def after(self, out):
        self.calls += 1
        with torch.no_grad():
            y = _as_float(out.detach())
            if self.shape is None:
                self.shape = list(out.shape)
            self.out.add(y)
            self.elements += y.numel()
            self.zeros += y.numel() - _count(y)
            k = self.kind
            if k in _kinds.SATURATING_BY_OUTPUT:
                self.saturated += _count(_kinds.saturated_by_output(k, y))
            if k in _kinds.ACTIVE_BY_OUTPUT:
                self._add_active(_units(y > 0, self.last))

    def _add_active(self, units):
        lst = self.active.setdefault(units.numel(), [])
        if lst:
            lst[0] = lst[0] | units
        else:
            lst.append(units)

    def add_grad(self, g):
        g = _as_float(g.detach())
        v = float((g * g).sum())
        if not math.isfinite(v):
            v = float(g.detach().double().pow(2).sum())
        self.grad_sq = v if self.grad_sq is None else self.grad_sq + v

    def dead_fraction(self):
        if self.kind not in _kinds.ACTIVE_BY_OUTPUT and self.kind not in _kinds.ACTIVE_BY_INPUT:
            return None
        total = dead = 0
        for lst in self.active.values():
            for u in lst:
                total += u.numel()
                dead += u.numel() - _count(u)
        return dead / total if total else None

    def to_json(self):
        sat = None
        if self.kind in _kinds.SATURATING and self.elements:
            sat = self.saturated / self.elements
        return {
            "name": self.name, "kind": self.kind, "file": self.file, "line": self.line,
            "column": self.column, "exact_line": self.exact_line, "shape": self.shape,
            "calls": self.calls,
            "dead_fraction": self.dead_fraction(),
            "zero_fraction": self.zeros / self.elements if self.elements else None,
            "saturated_fraction": sat,
            "mean": self.out.mean(), "std": self.out.std(),
            "mean_in": self.inp.mean(), "std_in": self.inp.std(),
            "grad_norm": math.sqrt(self.grad_sq) if self.grad_sq is not None else None,
            "nan": self.out.nan, "inf": self.out.inf,
            "nan_in": self.inp.nan, "inf_in": self.inp.inf,
            "histogram": {"edges": EDGES, "counts": self.hist,
                          "under": self.under, "over": self.over},
        }
