"""Tests of the Python probe (python/activation_inspector) against exact, constructed answers
and torch's own autograd. Run: PYTHONPATH=python /usr/bin/python3 -m unittest discover -s test/python
"""
import json
import math
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PYDIR = os.path.join(ROOT, "python")
FIX = os.path.join(ROOT, "test", "fixtures", "probe")
sys.path.insert(0, PYDIR)

import torch  # noqa: E402

import activation_inspector  # noqa: E402
from activation_inspector import _sites, _stats  # noqa: E402
from activation_inspector._probe import load_user_module, probe  # noqa: E402


def by_name(result):
    return {s["name"]: s for s in result["sites"]}


def run_cli(*args):
    env = dict(os.environ, PYTHONPATH=PYDIR)
    p = subprocess.run([sys.executable, "-m", "activation_inspector", "probe", *args],
                       capture_output=True, text=True, env=env)
    return p.returncode, json.loads(p.stdout), p.stderr


class KnownModel(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.file = os.path.join(FIX, "known.py")
        cls.result = probe(cls.file, "Known", input_shape="16,4;2,3,8,8")
        cls.sites = by_name(cls.result)

    def test_sites_lines_and_kinds(self):
        got = [(s["name"], s["kind"], s["line"]) for s in self.result["sites"]]
        self.assertEqual(got, [
            ("act", "relu", 13), ("gate", "sigmoid", 15), ("conv.1", "relu", 18),
            ("leaky", "leaky_relu", 20), ("torch.tanh", "tanh", 34), ("F.relu", "relu", 35),
            ("g.relu", "relu", 35)])
        for s in self.result["sites"]:
            self.assertEqual(s["file"], self.file)

    def test_exact_dead_fractions(self):
        s = self.sites
        self.assertEqual(s["act"]["dead_fraction"], 3 / 8)        # bias -100 on 3 of 8 units
        self.assertEqual(s["conv.1"]["dead_fraction"], 1 / 4)     # one channel of four
        self.assertEqual(s["leaky"]["dead_fraction"], 2 / 4)      # input > 0 never, 2 channels
        self.assertEqual(s["F.relu"]["dead_fraction"], 3 / 4)
        self.assertIsNone(s["gate"]["dead_fraction"])
        self.assertIsNone(s["torch.tanh"]["dead_fraction"])

    def test_exact_saturated_fractions(self):
        s = self.sites
        self.assertEqual(s["gate"]["saturated_fraction"], 0.5)    # pre-activations ±100, 0, 0
        self.assertEqual(s["torch.tanh"]["saturated_fraction"], 0.75)
        self.assertIsNone(s["act"]["saturated_fraction"])

    def test_zero_fraction_counts_exact_zeros(self):
        self.assertEqual(self.sites["F.relu"]["zero_fraction"], 0.75)
        self.assertEqual(self.sites["gate"]["zero_fraction"], 0.25)   # sigmoid(-100) is 0 in float32

    def test_functional_columns_tell_two_calls_on_one_line_apart(self):
        if sys.version_info < (3, 11):      # no co_positions: no columns, one site per spelling
            self.assertIsNone(self.sites["F.relu"]["column"])
        else:
            self.assertEqual(self.sites["F.relu"]["column"], 13)
            self.assertEqual(self.sites["g.relu"]["column"], 32)

    def test_main_block_never_runs(self):
        mod = sys.modules["activation_inspector_user"]
        self.assertEqual(mod.MARKER, [])

    def test_shapes_and_counts(self):
        self.assertEqual(self.sites["conv.1"]["shape"], [2, 4, 6, 6])
        for s in self.result["sites"]:
            self.assertEqual(s["nan"], 0)
            self.assertEqual(s["inf"], 0)
            self.assertEqual(s["calls"], 1)


class AgainstTorch(unittest.TestCase):
    """grad_norm, mean/std and the histogram against torch computed independently (sums are
    float32 reductions: relative error well under 1e-6 at these sizes)."""

    def assertClose(self, got, want, rel=1e-6):
        self.assertLessEqual(abs(got - want), rel * max(abs(want), 1e-12), (got, want))

    def test_factory_stats_match_autograd(self):
        file = os.path.join(FIX, "known.py")
        res = probe(file, "make_mlp(width=3)", input_shape="4,5", seed=3)
        (site,) = res["sites"]
        self.assertEqual((site["name"], site["kind"], site["line"]), ("1", "tanh", 42))
        mod = load_user_module(file)
        torch.manual_seed(3)
        net = mod.make_mlp(width=3)
        torch.manual_seed(3)
        x = torch.randn(4, 5)
        pre = net[0](x)
        out = net[1](pre)
        out.retain_grad()
        net[2](out).mean().backward()
        self.assertClose(site["grad_norm"], float(out.grad.double().norm()))
        self.assertClose(site["mean"], float(out.double().mean()))
        self.assertClose(site["std"], float(out.double().std(unbiased=False)))
        self.assertClose(site["mean_in"], float(pre.double().mean()))
        counts = [0] * 32
        under = over = 0
        for v in pre.double().flatten().tolist():
            if v < -8:
                under += 1
            elif v > 8:
                over += 1
            else:
                counts[min(int((v + 8) // 0.5), 31)] += 1
        self.assertEqual(site["histogram"]["counts"], counts)
        self.assertEqual((site["histogram"]["under"], site["histogram"]["over"]), (under, over))
        self.assertEqual(len(site["histogram"]["edges"]), 33)
        t = out.double()
        sat = float(((1 - t * t) < 0.01).double().mean())
        self.assertEqual(site["saturated_fraction"], sat)

    def test_batch_function_and_criterion_with_target(self):
        file = os.path.join(FIX, "twoinputs_batch.py")
        res = probe(file, "Classifier", batch="batch", criterion="criterion")
        (site,) = res["sites"]
        self.assertEqual((site["name"], site["kind"], site["line"], site["shape"]),
                         ("body.1", "gelu", 9, [7, 5]))
        mod = sys.modules["activation_inspector_user"]
        torch.manual_seed(0)
        net = mod.Classifier()
        x, y = mod.batch()
        h = net.body[1](net.body[0](x))
        h.retain_grad()
        mod.criterion(net.body[2](h), y).backward()
        self.assertClose(site["grad_norm"], float(h.grad.double().norm()))
        # GELU is ReLU-like: a unit is dead when its input is never > 0.
        dead = float((~(net.body[0](x) > 0).any(dim=0)).double().mean())
        self.assertEqual(site["dead_fraction"], dead)

    def test_nan_and_inf_are_counted(self):
        st = _stats.SiteStats("t", "relu", "f", 1)
        x = torch.tensor([[float("nan"), 1.0, float("inf"), -2.0]])
        st.before(x)
        st.after(torch.relu(x))
        j = st.to_json()
        self.assertEqual((j["nan"], j["inf"], j["nan_in"], j["inf_in"]), (1, 1, 1, 1))
        self.assertEqual(j["mean"], 0.5)     # finite outputs 1 and 0
        self.assertEqual(sum(j["histogram"]["counts"]), 2)

    def test_parameters_of_piecewise_functions(self):
        import torch.nn as nn
        import torch.nn.functional as F
        from activation_inspector._collector import Collector

        class P(nn.Module):
            def __init__(self):
                super().__init__()
                self.r6 = nn.ReLU6()

            def forward(self, x):
                a = F.hardtanh(x, -0.5, 0.5)
                b = F.threshold(x, 1.0, 0.0)
                return a, b, self.r6(x * 4)

        x = torch.tensor([[-1.0, 0.25, 2.0, -0.4], [0.6, 0.5, 0.75, -2.0]])
        net = P()
        c = Collector(net)
        c.attach_modules()
        with c.function_mode():
            net(x)
        c.detach()
        s = {r["kind"]: r for r in c.results()}
        self.assertEqual(s["hardtanh"]["saturated_fraction"], 5 / 8)   # |x| > 0.5
        self.assertEqual(s["threshold"]["dead_fraction"], 3 / 4)       # x > 1 only in unit 2
        self.assertEqual(s["relu6"]["saturated_fraction"], 1 / 8)      # 4x > 6: only 8.0
        self.assertEqual(s["relu6"]["dead_fraction"], 1 / 4)           # unit 3 never > 0

    def test_inplace_module_keeps_pre_activation(self):
        import torch.nn as nn
        net = nn.Sequential(nn.Linear(2, 2), nn.ReLU(inplace=True))
        with torch.no_grad():
            net[0].weight.zero_()
            net[0].bias.copy_(torch.tensor([-3.0, 2.0]))
        from activation_inspector._collector import Collector
        c = Collector(net)
        c.attach_modules()
        net(torch.randn(5, 2))
        c.detach()
        (site,) = c.results()
        self.assertEqual(site["mean_in"], -0.5)
        self.assertEqual(site["dead_fraction"], 0.5)


def probe_source(src, model, input_shape):
    """probe() on a model file written from `src` into a temporary directory."""
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, "model.py")
        with open(f, "w") as fh:
            fh.write(src)
        return probe(f, model, input_shape=input_shape)


class LibraryModules(unittest.TestCase):
    def test_activation_inside_a_torch_module_is_a_site_of_that_module(self):
        """TransformerEncoderLayer calls F.gelu inside its own forward: one site per layer, at
        the line that built the encoder, not one merged site at the user's call line."""
        src = (
            "import torch\n"
            "import torch.nn as nn\n"
            "\n"
            "class Net(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        layer = nn.TransformerEncoderLayer(4, 1, dim_feedforward=3, dropout=0.0, activation='gelu', batch_first=True)\n"
            "        self.enc = nn.TransformerEncoder(layer, num_layers=2)\n"
            "        with torch.no_grad():\n"
            "            self.enc.layers[1].linear1.weight.zero_()\n"
            "            self.enc.layers[1].linear1.bias.fill_(-10.0)\n"
            "\n"
            "    def forward(self, x):\n"
            "        return torch.relu(self.enc(x))\n"
        )
        result = probe_source(src, "Net", "2,5,4")
        got = [(s["name"], s["kind"], s["line"]) for s in result["sites"]]
        self.assertEqual(got, [("enc.layers.0", "gelu", 8), ("enc.layers.1", "gelu", 8), ("torch.relu", "relu", 14)])
        sites = by_name(result)
        self.assertEqual(sites["enc.layers.1"]["mean_in"], -10.0)    # its own pre-activations only
        self.assertNotEqual(sites["enc.layers.0"]["mean_in"], -10.0)

    def test_user_code_inside_a_torch_container_stays_at_its_own_line(self):
        """A user block inside nn.Sequential calls F.relu and .sigmoid() itself: sites at its
        line, not of the Sequential; the chained method is not merged into F.relu's site."""
        src = (
            "import torch\n"
            "import torch.nn as nn\n"
            "import torch.nn.functional as F\n"
            "\n"
            "class Block(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.fc = nn.Linear(4, 4)\n"
            "\n"
            "    def forward(self, x):\n"
            "        return F.relu(self.fc(x)).sigmoid()\n"
            "\n"
            "def make():\n"
            "    return nn.Sequential(Block(), nn.ModuleList([nn.Linear(4, 4)])[0], Block())\n"
        )
        result = probe_source(src, "make()", "3,4")
        sites = {s["kind"]: s for s in result["sites"]}
        self.assertEqual(sorted(sites), ["relu", "sigmoid"])
        self.assertEqual([s["line"] for s in result["sites"]], [11, 11])
        self.assertEqual(sites["relu"]["name"], "F.relu")
        # the method on the call's result is a site of its own (it was merged into F.relu's)
        self.assertTrue(sites["sigmoid"]["name"].endswith("sigmoid"), sites["sigmoid"]["name"])
        self.assertEqual(sites["relu"]["calls"], 2)     # the two Blocks, one call each
        self.assertIsNone(sites["sigmoid"]["dead_fraction"])


class Errors(unittest.TestCase):
    def test_syntax_error_names_file_and_line(self):
        code, out, _ = run_cli(os.path.join(FIX, "syntax_error.py"), "--model", "Broken",
                               "--input-shape", "2,2")
        self.assertEqual(code, 2)
        self.assertTrue(out["error"].startswith(os.path.join(FIX, "syntax_error.py") + ":5: "
                                                "SyntaxError"), out["error"])

    def test_import_error_names_file_and_line(self):
        code, out, _ = run_cli(os.path.join(FIX, "import_error.py"), "--model", "X",
                               "--input-shape", "2,2")
        self.assertEqual(code, 2)
        self.assertRegex(out["error"], r"import_error\.py:3: ModuleNotFoundError: ")

    def test_shape_error_names_the_forward_line(self):
        code, out, _ = run_cli(os.path.join(FIX, "shape_error.py"), "--model", "Mismatch",
                               "--input-shape", "8,4")
        self.assertEqual(code, 2)
        self.assertRegex(out["error"], r"shape_error\.py:11: RuntimeError: .*8x4 and 10x5")
        self.assertIn("Traceback", out["traceback"])

    def test_unknown_model_lists_the_classes(self):
        code, out, _ = run_cli(os.path.join(FIX, "known.py"), "--model", "Nope",
                               "--input-shape", "2,2")
        self.assertEqual(code, 2)
        self.assertIn("no model named Nope (nn.Module classes there: Known)", out["error"])

    def test_bad_input_shape(self):
        code, out, _ = run_cli(os.path.join(FIX, "known.py"), "--model", "make_mlp",
                               "--input-shape", "4,a")
        self.assertEqual(code, 2)
        self.assertIn("--input-shape", out["error"])

    def test_user_prints_do_not_spoil_the_json(self):
        code, out, err = run_cli(os.path.join(FIX, "known.py"), "--model", "make_mlp",
                                 "--input-shape", "3,5")
        self.assertEqual(code, 0)
        self.assertEqual(len(out["sites"]), 1)


class Watch(unittest.TestCase):
    def run_training(self, every, steps):
        d = tempfile.mkdtemp()
        env = dict(os.environ, PYTHONPATH=PYDIR)
        p = subprocess.run([sys.executable, os.path.join(FIX, "train_watch.py"), str(every),
                            str(steps), d], capture_output=True, text=True, env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(d, "fixture.jsonl")) as f:
            lines = [json.loads(x) for x in f]
        return p.stdout.strip(), lines

    def test_sixty_steps_every_seven(self):
        out, lines = self.run_training(7, 60)
        seen, expected = out.split("\n")
        head, records = lines[0], lines[1:]
        self.assertEqual((head["format"], head["run"], head["every"]), (1, "fixture", 7))
        self.assertEqual([r["step"] for r in records], list(range(7, 61, 7)))
        # The file has a step's line right after that step's backward.
        self.assertEqual(seen.split(","), [str(i // 7) for i in range(1, 61)])
        expected = [float(v) for v in expected.split(",")]
        self.assertEqual(len(expected), 8)
        for r, dead in zip(records, expected):
            (site,) = r["sites"]
            self.assertEqual((site["name"], site["kind"], site["line"]), ("1", "relu", 13))
            self.assertEqual(site["dead_fraction"], dead)
            self.assertGreaterEqual(dead, 2 / 8)         # units 0 and 1 are dead by design
            self.assertTrue(site["grad_norm"] > 0)

    def test_every_ten(self):
        _, lines = self.run_training(10, 60)
        self.assertEqual([r["step"] for r in lines[1:]], [10, 20, 30, 40, 50, 60])

    def test_unwatch_removes_every_hook(self):
        import torch.nn as nn
        net = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
        w = activation_inspector.watch(net, every=1, directory=tempfile.mkdtemp())
        net(torch.randn(4, 2)).sum().backward()
        activation_inspector.unwatch(net)
        self.assertEqual(len(net._forward_hooks) + len(net._forward_pre_hooks), 0)
        self.assertEqual(len(net[1]._forward_hooks) + len(net[1]._forward_pre_hooks), 0)
        net(torch.randn(4, 2)).sum().backward()
        with open(w.path) as f:
            self.assertEqual(len(f.readlines()), 2)     # header + step 1 only

    def test_bad_every(self):
        import torch.nn as nn
        with self.assertRaises(ValueError):
            activation_inspector.watch(nn.ReLU(), every=0, directory=tempfile.mkdtemp())


class ConstructionSites(unittest.TestCase):
    def test_fallback_for_modules_built_before_import_is_the_assignment_line(self):
        mod = load_user_module(os.path.join(FIX, "known.py"))
        net = mod.Known()
        del _sites._construction[net.act]
        file, line, exact = _sites.construction_site(net.act, "act", net)
        self.assertEqual((os.path.basename(file), line, exact), ("known.py", 13, False))

    def test_subclass_super_init_is_not_the_site(self):
        import torch.nn as nn

        class MyReLU(nn.ReLU):
            def __init__(self):
                super().__init__()

        m = MyReLU()
        line = sys._getframe().f_lineno - 1
        self.assertEqual(_sites._construction[m], (os.path.abspath(__file__), line))



def nn_relu():
    import torch.nn as nn
    return nn.Sequential(nn.Linear(2, 2), nn.ReLU())


def write_files(d, files):
    for name, src in files.items():
        path = os.path.join(d, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:
            fh.write(src)


def line_of(src, marker):
    """1-based number of the only line of `src` containing `marker`."""
    hits = [i + 1 for i, text in enumerate(src.splitlines()) if marker in text]
    assert len(hits) == 1, (marker, hits)
    return hits[0]


def run_cli_on(files, main, *args):
    """run_cli on `main` among `files` written into a temporary directory; (code, out, err, d)."""
    d = tempfile.mkdtemp()
    write_files(d, files)
    code, out, err = run_cli(os.path.join(d, main), *args)
    return code, out, err, d


# A script in the style of many training files: argparse at module level, with a --model
# option of its own (the probe's --model must not reach it) and the width read from args.
ARGPARSE_SCRIPT = """import argparse
import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--hidden", type=int, default=8)
parser.add_argument("--model", default="mlp")
args = parser.parse_args()


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, args.hidden)
        self.act = nn.ReLU()  # SITE
        with torch.no_grad():
            self.fc.weight.zero_()
            self.fc.bias.fill_(100.0)
            self.fc.bias[:3] = -1.0    # units 0, 1, 2 never positive

    def forward(self, x):
        return self.act(self.fc(x))
"""


class RealCode(unittest.TestCase):
    """Patterns of real model files (stand-ins written for these tests)."""

    def test_module_level_argparse_sees_no_arguments(self):
        code, out, err, _ = run_cli_on({"train.py": ARGPARSE_SCRIPT}, "train.py",
                                       "--model", "Net", "--input-shape", "5,4")
        self.assertEqual(code, 0, out)
        (site,) = out["sites"]
        self.assertEqual((site["name"], site["line"]), ("act", line_of(ARGPARSE_SCRIPT, "# SITE")))
        self.assertEqual(site["shape"], [5, 8])                   # args.hidden's default
        self.assertEqual(site["dead_fraction"], 3 / 8)
        self.assertEqual(site["zero_fraction"], 3 / 8)

    def test_required_argument_gives_one_clear_line(self):
        src = ARGPARSE_SCRIPT.replace('default="mlp"', "required=True")
        code, out, _, _ = run_cli_on({"train.py": src}, "train.py", "--model", "Net",
                                     "--input-shape", "5,4")
        self.assertEqual(code, 2)
        err = out["error"]
        self.assertNotIn("\n", err)
        self.assertIn("train.py:%d: the file called exit(2)" % line_of(src, "parse_args"), err)
        self.assertIn("the following arguments are required: --model", err)

    def test_sys_argv_is_restored(self):
        before = list(sys.argv)
        d = tempfile.mkdtemp()
        write_files(d, {"m.py": ARGPARSE_SCRIPT})
        probe(os.path.join(d, "m.py"), "Net", input_shape="2,4")
        self.assertEqual(sys.argv, before)

    def test_relative_imports_in_a_package(self):
        blocks = ("import torch\nimport torch.nn as nn\n\n\nclass Block(nn.Module):\n"
                  "    def __init__(self, n, dead):\n        super().__init__()\n"
                  "        self.fc = nn.Linear(n, n)\n"
                  "        self.act = nn.GELU()  # SITE\n"
                  "        with torch.no_grad():\n            self.fc.weight.zero_()\n"
                  "            self.fc.bias.fill_(1.0)\n            self.fc.bias[:dead] = -1.0\n\n"
                  "    def forward(self, x):\n"
                  "        assert x.shape[-1] == self.fc.in_features, 'width'  # CHECK\n"
                  "        return self.act(self.fc(x))\n")
        model = ("import torch.nn as nn\nfrom .blocks import Block\nfrom . import blocks\n\n\n"
                 "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                 "        self.b = blocks.Block(5, 2)\n\n    def forward(self, x):\n"
                 "        return self.b(x)  # CALL\n")
        files = {"proj/pkg/__init__.py": "", "proj/pkg/blocks.py": blocks,
                 "proj/pkg/model.py": model}
        code, out, _, d = run_cli_on(files, "proj/pkg/model.py", "--model", "Net",
                                     "--input-shape", "3,5")
        self.assertEqual(code, 0, out)
        (site,) = out["sites"]
        self.assertEqual(site["file"], os.path.join(d, "proj", "pkg", "blocks.py"))
        self.assertEqual(site["line"], line_of(blocks, "# SITE"))
        self.assertEqual(site["dead_fraction"], 2 / 5)
        # an error raised in the sibling file: the probed file's line, and where it was raised
        code, out, _, d = run_cli_on(files, "proj/pkg/model.py", "--model", "Net",
                                     "--input-shape", "3,4")
        self.assertEqual(code, 2)
        self.assertEqual(out["error"], "%s:%d: AssertionError: width (at %s:%d)" % (
            os.path.join(d, "proj", "pkg", "model.py"), line_of(model, "# CALL"),
            os.path.join(d, "proj", "pkg", "blocks.py"), line_of(blocks, "# CHECK")))

    def test_token_inputs_are_integers_in_range_and_units_are_features(self):
        """An embedding-first model gets torch.randint(0, num_embeddings, shape) for the input
        that feeds the embedding (drawn in order after manual_seed, like randn for the others);
        the MLP's units are its hidden features (last dim of (N, T, F)), not positions."""
        src = (
            "from dataclasses import dataclass\nimport torch\nimport torch.nn as nn\n\n"
            "SEEN = []\n\n\n@dataclass\nclass Config:\n    vocab: int = 11\n    width: int = 6\n"
            "    hidden: int = 10\n    dead: int = 4\n\n\n"
            "class TinyLM(nn.Module):\n    def __init__(self, cfg):\n        super().__init__()\n"
            "        self.tok = nn.Embedding(cfg.vocab, cfg.width)\n"
            "        self.fc1 = nn.Linear(cfg.width, cfg.hidden)\n"
            "        self.act = nn.GELU()  # SITE\n"
            "        self.fc2 = nn.Linear(cfg.hidden, cfg.vocab)\n"
            "        with torch.no_grad():\n            self.fc1.weight.zero_()\n"
            "            self.fc1.bias.fill_(2.0)\n            self.fc1.bias[:cfg.dead] = -3.0\n\n"
            "    def forward(self, idx, prefix, targets=None):\n"
            "        SEEN.append((idx.clone(), prefix.clone()))\n"
            "        h = self.tok(idx) + prefix[:, None, :]\n"
            "        logits = self.fc2(self.act(self.fc1(h)))\n"
            "        loss = None if targets is None else logits.sum()\n"
            "        return logits, loss\n")
        result = probe_source(src, "TinyLM(Config())", "4,8;4,6")
        (site,) = result["sites"]
        self.assertEqual((site["name"], site["line"], site["shape"]),
                         ("act", line_of(src, "# SITE"), [4, 8, 10]))
        self.assertEqual(site["dead_fraction"], 4 / 10)
        self.assertIsNotNone(site["grad_norm"])          # the (logits, None) output was used
        idx, prefix = sys.modules["activation_inspector_user"].SEEN[-1]
        torch.manual_seed(0)
        self.assertTrue(torch.equal(idx, torch.randint(0, 11, (4, 8))))
        self.assertTrue(torch.equal(prefix, torch.randn(4, 6)))

    def test_units_follow_the_layer_layout(self):
        """Channels-last MLP after a convolution (ConvNeXt style): features are the last dim;
        a convolution after it switches back to channels (dim 1); a sequence-first (T, N, F)
        tensor from a linear layer has its features last."""
        src = (
            "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n\n"
            "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
            "        self.dw = nn.Conv2d(3, 3, 1)\n        self.pw = nn.Linear(3, 6)\n"
            "        self.act = nn.GELU()  # CL\n        self.conv = nn.Conv2d(3, 3, 1)\n"
            "        self.seq = nn.Linear(4, 4)\n"
            "        with torch.no_grad():\n"
            "            for m, b in ((self.pw, [-1.0, -1, -1, -1, 1, 1]), (self.conv, [-1.0, 1, 1]),\n"
            "                         (self.seq, [-1.0, -1, 1, 1])):\n"
            "                m.weight.zero_()\n                m.bias.copy_(torch.tensor(b))\n\n"
            "    def forward(self, x, s):\n"
            "        h = self.act(self.pw(self.dw(x).permute(0, 2, 3, 1)))\n"
            "        c = F.relu(self.conv(x))  # CONV\n"
            "        r = torch.relu(self.seq(s))  # SEQ\n"
            "        return h.sum() + c.sum() + r.sum()\n")
        result = probe_source(src, "Net", "2,3,5,7;9,2,4")
        got = {s["line"]: s for s in result["sites"]}
        self.assertEqual(got[line_of(src, "# CL")]["dead_fraction"], 4 / 6)
        self.assertEqual(got[line_of(src, "# CONV")]["dead_fraction"], 1 / 3)
        self.assertEqual(got[line_of(src, "# SEQ")]["dead_fraction"], 2 / 4)

    def test_linear_output_reshaped_to_channels_counts_channels(self):
        """A generator's projection `fc(z).view(-1, 4, 3, 3)`: the ReLU's units are the 4
        channels (dim 1), not the last dim of a linear layer's output any more."""
        src = ("import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n\n"
               "class Gen(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
               "        self.fc = nn.Linear(6, 36)\n        with torch.no_grad():\n"
               "            self.fc.weight.zero_()\n"
               "            self.fc.bias.copy_(torch.tensor([-1.0] * 9 + [1.0] * 27))\n\n"
               "    def forward(self, z):\n"
               "        return F.relu(self.fc(z).view(-1, 4, 3, 3))\n")
        (site,) = probe_source(src, "Gen", "2,6")["sites"]
        self.assertEqual(site["dead_fraction"], 1 / 4)     # channel 0: its 9 values are -1

    def test_library_layers_of_a_torch_subclass_have_a_line(self):
        src = (
            "import torch.nn as nn\n\n\nclass Enc(nn.TransformerEncoder):\n"
            "    def __init__(self):\n"
            "        layer = nn.TransformerEncoderLayer(4, 1, dim_feedforward=3, dropout=0.0)\n"
            "        super().__init__(layer, num_layers=2)  # BUILT\n")
        result = probe_source(src, "Enc", "5,2,4")
        self.assertEqual([(s["name"], s["line"], s["exact_line"]) for s in result["sites"]],
                         [("layers.0", line_of(src, "# BUILT"), False),
                          ("layers.1", line_of(src, "# BUILT"), False)])

    def test_structured_outputs_are_backpropagated(self):
        src = (
            "import collections\nfrom dataclasses import dataclass\nimport torch\n"
            "import torch.nn as nn\n\nOut = collections.namedtuple('Out', 'hidden extra')\n\n\n"
            "@dataclass\nclass HFStyle:\n    loss: object = None\n    logits: object = None\n\n\n"
            "class A(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
            "        self.fc = nn.Linear(3, 3)\n        self.act = nn.Tanh()\n\n"
            "    def forward(self, x):\n"
            "        return Out(self.act(self.fc(x)), {'ids': torch.zeros(2, dtype=torch.long)})\n\n\n"
            "class B(A):\n    def forward(self, x):\n"
            "        return HFStyle(logits=self.act(self.fc(x)))\n")
        for model in ("A", "B"):
            (site,) = probe_source(src, model, "2,3")["sites"]
            self.assertIsNotNone(site["grad_norm"], model)
            self.assertGreater(site["grad_norm"], 0)

    def test_two_tensor_batch_for_a_two_input_forward(self):
        src = ("import torch\nimport torch.nn as nn\n\n\nclass Two(nn.Module):\n"
               "    def forward(self, x, t):\n        return torch.relu(t) * x.sum()  # SITE\n\n\n"
               "def batch():\n    return torch.ones(2, 3), torch.tensor([[-1.0, 2.0]])\n")
        d = tempfile.mkdtemp()
        write_files(d, {"m.py": src})
        (site,) = probe(os.path.join(d, "m.py"), "Two", batch="batch")["sites"]
        self.assertEqual((site["line"], site["dead_fraction"], site["mean_in"]),
                         (line_of(src, "# SITE"), 1 / 2, 0.5))

    def test_a_torchscript_submodule_is_skipped_not_fatal(self):
        src = ("import torch\nimport torch.nn as nn\n\n\nclass Net(nn.Module):\n"
               "    def __init__(self):\n        super().__init__()\n"
               "        self.jit = torch.jit.script(nn.Sequential(nn.Linear(4, 4), nn.ReLU()))\n"
               "        self.act = nn.Tanh()  # SITE\n\n    def forward(self, x):\n"
               "        return self.act(self.jit(x))\n")
        result = probe_source(src, "Net", "3,4")
        self.assertEqual([(s["name"], s["line"]) for s in result["sites"]],
                         [("act", line_of(src, "# SITE"))])
        with self.assertRaises(TypeError):
            activation_inspector.watch(torch.jit.script(nn_relu()), directory=tempfile.mkdtemp())

    def test_a_dict_batch_without_input_is_keyword_arguments(self):
        src = ("import torch\nimport torch.nn as nn\n\n\nclass HF(nn.Module):\n"
               "    def forward(self, input_ids=None, attention_mask=None, labels=None):\n"
               "        h = torch.sigmoid(attention_mask * 100.0)  # SITE\n"
               "        return {'loss': (h * labels).sum(), 'logits': h}\n\n\n"
               "def batch():\n    return {'input_ids': torch.zeros(2, 3, dtype=torch.long),\n"
               "            'attention_mask': torch.tensor([[1.0, 1.0, 0.0], [1.0, 0.0, 0.0]]),\n"
               "            'labels': torch.ones(2, 3)}\n")
        d = tempfile.mkdtemp()
        write_files(d, {"m.py": src})
        (site,) = probe(os.path.join(d, "m.py"), "HF", batch="batch")["sites"]
        self.assertEqual(site["line"], line_of(src, "# SITE"))
        self.assertEqual(site["saturated_fraction"], 3 / 6)     # sigmoid(100) saturates
        self.assertEqual(site["mean_in"], 300.0 / 6)

    def test_activations_made_or_called_by_an_installed_package_are_at_the_users_line(self):
        lib = ("import torch.nn as nn\nimport torch.nn.functional as F\n\n\n"
               "def create_act_layer(name):\n    return {'gelu': nn.GELU}[name]()\n\n\n"
               "def gated(x):\n    return F.silu(x)\n")
        src = ("import sys, os\n"
               "sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'site-packages'))\n"
               "import torch.nn as nn\nimport thirdlib\n\n\nclass Net(nn.Module):\n"
               "    def __init__(self):\n        super().__init__()\n"
               "        self.act = thirdlib.create_act_layer('gelu')  # MADE\n\n"
               "    def forward(self, x):\n        return thirdlib.gated(self.act(x))  # CALLED\n")
        d = tempfile.mkdtemp()
        write_files(d, {"m.py": src, "site-packages/thirdlib.py": lib})
        result = probe(os.path.join(d, "m.py"), "Net", input_shape="2,3")
        got = [(s["kind"], os.path.basename(s["file"]), s["line"]) for s in result["sites"]]
        self.assertEqual(got, [("gelu", "m.py", line_of(src, "# MADE")),
                               ("silu", "m.py", line_of(src, "# CALLED"))])

    def test_method_on_a_long_expression_is_named_briefly(self):
        src = ("import torch\nimport torch.nn as nn\n\n\nclass Att(nn.Module):\n"
               "    def forward(self, q):\n"
               "        return ((q @ q.transpose(-2, -1)) * q.shape[-1] ** -0.5).softmax(-1)\n")
        (site,) = probe_source(src, "Att", "2,3,4")["sites"]
        self.assertEqual((site["name"], site["kind"]), ("(...).softmax", "softmax"))


class RealCodeErrors(unittest.TestCase):
    SRC = ("import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self, width):\n"
           "        super().__init__()\n        self.fc = nn.Linear(4, width)\n"
           "        self.bn = nn.BatchNorm1d(width)\n"
           "        self.scale = SCALE  # NAME\n\n    def forward(self, x, h):  # FORWARD\n"
           "        return self.bn(self.fc(x)) + h  # BN\n\n\nSCALE = 1.0\n")

    def cli(self, src, model, shape):
        code, out, _, d = run_cli_on({"m.py": src}, "m.py", "--model", model,
                                     "--input-shape", shape)
        self.assertEqual(code, 2, out)       # the user's errors: 2, never 3 (internal)
        self.assertNotIn("\n", out["error"])
        return out["error"], os.path.join(d, "m.py")

    def test_missing_constructor_argument(self):
        err, f = self.cli(self.SRC, "Net", "2,4;2,3")
        self.assertTrue(err.startswith(f + ": --model Net: TypeError: "), err)
        self.assertIn("missing 1 required positional argument: 'width'", err)
        self.assertIn('--model "Net(...)"', err)

    def test_wrong_expression(self):
        err, f = self.cli(self.SRC, "Net(3, 4, 5)", "2,4;2,3")
        self.assertTrue(err.startswith(f + ": --model Net(3, 4, 5): TypeError: "), err)
        err, f = self.cli(self.SRC, "Nett(3)", "2,4;2,3")
        self.assertEqual(err, f + ": --model Nett(3): NameError: name 'Nett' is not defined "
                              "(nn.Module classes there: Net)")

    def test_error_in_the_constructor_names_its_line(self):
        src = self.SRC.replace("SCALE = 1.0\n", "")
        err, f = self.cli(src, "Net(3)", "2,4;2,3")
        self.assertEqual(err, "%s:%d: NameError: name 'SCALE' is not defined" % (
            f, line_of(src, "# NAME")))

    def test_too_few_inputs_names_forward(self):
        err, f = self.cli(self.SRC, "Net(3)", "2,4")
        self.assertTrue(err.startswith("%s:%d: TypeError: Net.forward(x, h) cannot take the 1 "
                                       "input of --input-shape 2,4" % (
                                           f, line_of(self.SRC, "# FORWARD"))), err)

    def test_batchnorm_with_a_batch_of_one_says_what_to_do(self):
        err, f = self.cli(self.SRC, "Net(3)", "1,4;1,3")
        self.assertTrue(err.startswith("%s:%d: ValueError: Expected more than 1 value per "
                                       "channel" % (f, line_of(self.SRC, "# BN"))), err)
        self.assertIn("a batch of 2 or more", err)

    def test_exit_in_forward_is_one_line(self):
        src = ("import sys\nimport torch.nn as nn\n\n\nclass Quit(nn.Module):\n"
               "    def forward(self, x):\n        sys.exit('bye')  # EXIT\n")
        err, f = self.cli(src, "Quit", "2,2")
        self.assertEqual(err, "%s:%d: SystemExit: bye" % (f, line_of(src, "# EXIT")))

    def test_float_ids_into_a_model_that_embeds_later(self):
        src = ("import torch.nn as nn\n\n\nclass Late(nn.Module):\n    def __init__(self):\n"
               "        super().__init__()\n        self.emb = nn.Embedding(5, 2)\n\n"
               "    def forward(self, ids):\n        return self.emb(ids * 2)\n")
        err, _ = self.cli(src, "Late", "3,4")
        self.assertIn("integer ids", err)
        err, _ = self.cli(src.replace("ids * 2", "ids.long() - 1"), "Late", "3,4")
        self.assertIn("IndexError: index out of range in self (an embedding got ids outside", err)


if __name__ == "__main__":
    unittest.main()
