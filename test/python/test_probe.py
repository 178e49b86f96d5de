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


if __name__ == "__main__":
    unittest.main()
