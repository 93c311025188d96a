"""The claim checks themselves: they hold on the committed notebooks and fail on the wrong numbers this project has
seen (a CPU whose oneDNN computed wrong maps), so that a check cannot pass vacuously. No kernel needed.

    /usr/bin/python3 -m unittest -v tests/kernel/test_notebook_claims.py
"""
import os
import sys
import unittest

import nbformat

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from notebook_claims import CLAIMS, check_claims  # noqa: E402

NOTEBOOKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "notebooks")


def load(name):
    return nbformat.read(os.path.join(NOTEBOOKS, name), as_version=4)


def failures(nb, name):
    return {claim.says: error for claim, _, error in check_claims(nb, name) if error is not None}


def code_cell(nb, piece):
    return next(c for c in nb.cells if c.cell_type == "code" and piece in c.source)


def replace_in_outputs(cell, old, new):
    """Replaces text in every stream and text/plain or text/html output of the cell; asserts it occurred."""
    found = False
    for out in cell.outputs:
        if out.get("output_type") == "stream" and old in out.text:
            out.text, found = out.text.replace(old, new), True
        for mime in ("text/plain", "text/html"):
            if old in out.get("data", {}).get(mime, ""):
                out.data[mime], found = out.data[mime].replace(old, new), True
    assert found, f"{old!r} not in the cell's outputs"


class CommittedNotebooks(unittest.TestCase):
    def test_every_claim_holds(self):
        for name in CLAIMS:
            with self.subTest(notebook=name):
                self.assertEqual(failures(load(name), name), {})

    def test_every_notebook_is_covered(self):
        for name in sorted(os.listdir(NOTEBOOKS)):
            if name.endswith(".ipynb"):
                self.assertIn(name, CLAIMS)


class WrongNumbers(unittest.TestCase):
    """Each case is what the notebook showed without DNNL_MAX_CPU_ISA=SSE41 on an AMD Zen 5."""

    def test_tsgb_peak_off_its_object(self):
        nb = load("01-quickstart.ipynb")
        replace_in_outputs(code_cell(nb, "foreach (var e in tsgb)"), "(51, 37), on the circle", "(46, 0), on the background")
        self.assertIn("on the background", failures(nb, "01-quickstart.ipynb")["TSGB's hexagon map above stays on the hexagon"])

    def test_beta_row_all_zero(self):
        nb = load("03-ablation.ipynb")
        cell = code_cell(nb, "--as betaAblation")
        replace_in_outputs(cell, "<td>β=0.75</td><td>circle</td><td>1</td>", "<td>β=0.75</td><td>circle</td><td>0</td>")
        wrong = failures(nb, "03-ablation.ipynb")
        self.assertIn("With the BatchNorm rule every map's peak hits its target", wrong)

    def test_until_stops_at_the_first_leaf(self):
        # the defect of issue 9: Until(container) ended at the container's first leaf
        nb = load("03-ablation.ipynb")
        cell = code_cell(nb, "PrintRules(early);")
        replace_in_outputs(cell, "layer2.0.bn1, layer2.0.bn2, layer2.0.downsample.1\n", "layer2.0.bn1\n")
        self.assertIn("until layer2", failures(nb, "03-ablation.ipynb")[
            "`Until(\"layer2\")` rectifies exactly those and leaves `layer3` and `layer4` alone: together they cover "
            "every convolution once"])

    def test_registration_order(self):
        # the other defect of issue 9: layers in registration order (ResNet registers fc before layer1)
        nb = load("03-ablation.ipynb")
        cell = code_cell(nb, "PrintRules(early);")
        replace_in_outputs(cell, "tsgb-conv: conv1, layer1.0.conv1, layer1.0.conv2, layer2.0.conv1, layer2.0.conv2, layer2.0.downsample.0, layer3.0.conv1",
                           "tsgb-conv: layer1.0.conv1, conv1, layer1.0.conv2, layer2.0.conv1, layer2.0.conv2, layer2.0.downsample.0, layer3.0.conv1")
        self.assertIn("not every layer", failures(nb, "03-ablation.ipynb")[
            "`Until(\"layer2\")` rectifies exactly those and leaves `layer3` and `layer4` alone: together they cover "
            "every convolution once"])

    def test_late_half_peaks_off_the_hexagon(self):
        nb = load("03-ablation.ipynb")
        cell = code_cell(nb, 'ShareInBox(x, "hexagon")')
        replace_in_outputs(cell, "(15, 79), on the hexagon;", "(56, 21), on the circle;")
        self.assertIn("peaks on the circle", failures(nb, "03-ablation.ipynb")[
            "from `layer3` on, the peak lies on the hexagon; until `layer2`, the late stages pass the plain gradient and "
            "the peak lands on the circle"])

    def test_gradcam_class_sensitivity(self):
        nb = load("05-evaluation.ipynb")
        cell = code_cell(nb, "--model scene-resnet --methods")
        rows = [o for o in cell.outputs if "text/html" in o.get("data", {})][0].data["text/html"]
        value = rows.split("<td>gradcam</td>")[1].split("</tr>")[0].split("<td>")[6].removesuffix("</td>")
        replace_in_outputs(cell, f"<td>{value}</td>", "<td>0.2946781115</td>")
        self.assertIn("0.295", failures(nb, "05-evaluation.ipynb")[
            "Grad-CAM's maps for the most and the least probable class are nearly uncorrelated (≈ 0.09)"])

    def test_centre_baseline_without_energy(self):
        # the old centre map (−distance², ≤ 0 everywhere) had no energy in any box
        nb = load("05-evaluation.ipynb")
        cell = code_cell(nb, "--model scene-vgg --methods")
        rows = [o for o in cell.outputs if "text/html" in o.get("data", {})][0].data["text/html"]
        value = rows.split("<td>centre baseline</td>")[1].split("</tr>")[0].split("<td>")[3].removesuffix("</td>")
        replace_in_outputs(cell, f"<td>{value}</td>", "<td>0</td>")
        self.assertIn("0.000", failures(nb, "05-evaluation.ipynb")[
            "Scored like any map, it keeps about 0.12 of its energy in the target's box (less than half the plain "
            "gradient's share), and its class sensitivity is exactly 1"])

    def test_cli_map_differs(self):
        nb = load("07-scripting.ipynb")
        cell = code_cell(nb, "var maxDiff")
        old = cell.outputs[0].data["text/plain"].rsplit(" ", 1)[1]
        replace_in_outputs(cell, old, "1.55E-002")
        self.assertIn("1.55E-002", failures(nb, "07-scripting.ipynb")["It is the same map the fluent API computes"])

    def test_changed_words_fail(self):
        nb = load("04-layer-statistics.ipynb")
        cell = next(c for c in nb.cells if "part ways at `classifier.6`" in c.source)
        cell.source = cell.source.replace("part ways at `classifier.6`", "part ways at `classifier.4`")
        self.assertIn("no longer in the notebook", failures(nb, "04-layer-statistics.ipynb")["they part ways at `classifier.6`"])

    def test_unrun_cell_fails(self):
        nb = load("00-smoke.ipynb")
        code_cell(nb, "largest difference from the magic's map").outputs = []
        self.assertIn("no outputs", failures(nb, "00-smoke.ipynb")["The same map from C#"])


class UnsafeOrWrongWeights(unittest.TestCase):
    """What notebook 06 would show if Tsgb ran a checkpoint's payload or loaded other weights than PyTorch saved."""

    NAME = "06-your-own-model.ipynb"

    def test_payload_ran(self):
        nb = load(self.NAME)
        replace_in_outputs(code_cell(nb, 'Zoo.Load("resnet18", "work/06/hostile.pth")'), "the payload ran: False", "the payload ran: True")
        self.assertIn("the payload ran: True", failures(nb, self.NAME)["Tsgb refuses the file, and says why"])

    def test_payload_inert(self):
        # a refusal proves nothing when the file would not have run anything anyway
        nb = load(self.NAME)
        replace_in_outputs(code_cell(nb, "after torch.load"), "the payload ran: True", "the payload ran: False")
        self.assertIn("proves nothing",
                      failures(nb, self.NAME)["The file is not inert: PyTorch's own `torch.load` runs the command"])

    def test_other_weights(self):
        nb = load(self.NAME)
        replace_in_outputs(code_cell(nb, "var labels = LabelSet.FromFile"), "same weights: True", "same weights: False")
        self.assertIn("same weights: False", failures(nb, self.NAME)[
            "The checkpoint holds the very weights of the safetensors file, and loads to the same model"])


if __name__ == "__main__":
    unittest.main()
