"""python -m activation_inspector probe FILE --model NAME|EXPR (--input-shape DIMS | --batch FN)
       [--criterion EXPR] [--seed N] [--out RESULT.json]

Writes one JSON object: {"sites": [...], "torch", "model"} on success (exit 0), or
{"error": "file:line: Type: message", "traceback": "..."} (exit 2) to --out, else stdout.
While the user's code runs, its prints go to stderr so stdout holds only the JSON.
"""
import argparse
import json
import math
import sys
import traceback


def _clean(v):
    if isinstance(v, float) and not math.isfinite(v):   # the project's JSON: "nan", "inf", "-inf"
        return "nan" if v != v else ("inf" if v > 0 else "-inf")
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    return v


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m activation_inspector")
    sub = ap.add_subparsers(dest="command")
    p = sub.add_parser("probe")
    p.add_argument("file")
    p.add_argument("--model", required=True)
    p.add_argument("--input-shape")
    p.add_argument("--batch")
    p.add_argument("--criterion")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out")
    args = ap.parse_args(argv)
    if args.command != "probe":
        ap.print_help(sys.stderr)
        return 2

    real_stdout = sys.stdout
    sys.stdout = sys.stderr
    code = 0
    try:
        import torch  # noqa: F401
    except Exception as e:
        result = {"error": "no torch in %s (%s: %s)" % (sys.executable, type(e).__name__, e),
                  "no_torch": True}
        code = 2
    else:
        from ._probe import ProbeUsageError, UserCodeError, probe
        try:
            result = probe(args.file, args.model, input_shape=args.input_shape,
                           criterion=args.criterion, batch=args.batch, seed=args.seed)
        except UserCodeError as e:
            result, code = {"error": e.line, "traceback": e.tb}, 2
        except ProbeUsageError as e:
            result, code = {"error": str(e)}, 2
        except Exception as e:
            result = {"error": "internal error: %s: %s" % (type(e).__name__, e),
                      "traceback": traceback.format_exc()}
            code = 3
    sys.stdout = real_stdout
    text = json.dumps(_clean(result), allow_nan=False)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        real_stdout.write(text + "\n")
        real_stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
