"""What the notebooks say about their computed results, checked against their outputs.

A notebook that runs without an error can still be wrong: on a CPU where libtorch computed wrong numbers, every
notebook ran green while its maps missed their objects. So each fact a notebook's text states about a result
("the peak lies on its own object", "relevance is conserved") is a Claim below: the notebook's words (which must
still occur in the notebook, so that text and check change together), the code cell whose outputs are the evidence
(found by a piece of its source), and a check of those outputs with a tolerance that correct numbers pass with
margin. Nothing is added to the notebooks for it: the evidence is what the reader sees.

run_notebook.py checks each executed notebook, and its committed copy, with check_claims(). Alone,

    /usr/bin/python3 tests/kernel/notebook_claims.py NOTEBOOK.ipynb...

checks executed notebooks without running them; exit status 1 when a claim fails.
"""
import json
import os
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Callable


class ClaimFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise ClaimFailed(message)


def near(value, target, tolerance):
    return abs(value - target) <= tolerance


# ---- reading a cell's outputs ----

class _DataFrameHtml(HTMLParser):
    """The tables of the kernel's DataFrame formatter: <th>name<br/><small>Type</small></th> heads, <td> cells."""

    def __init__(self):
        super().__init__()
        self.tables, self._section, self._cell, self._row, self._in_small = [], None, None, None, False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"columns": [], "types": [], "rows": []})
        elif tag in ("thead", "tbody"):
            self._section = tag
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = {"tag": tag, "text": "", "small": ""}
        elif tag == "small":
            self._in_small = True

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "small":
            self._in_small = False
        elif tag == "tr" and self.tables:
            table = self.tables[-1]
            if self._section == "thead":
                heads = self._row[1:]  # the first head is the index column's
                table["columns"] = [h["text"].strip() for h in heads]
                table["types"] = [h["small"].strip() for h in heads]
            else:
                table["rows"].append([c["text"] for c in self._row if c["tag"] == "td"])
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["small" if self._in_small else "text"] += data


def _typed(text, type_name):
    if text == "null":
        return None
    if type_name in ("Double", "Single", "Decimal"):
        return float(text)
    if type_name.startswith(("Int", "UInt")):
        return int(text)
    if type_name == "Boolean":
        return text == "True"
    return text


class Outputs:
    """The outputs of one code cell, as the reader sees them."""

    def __init__(self, index, cell):
        self.index = index
        self.outputs = cell.get("outputs", [])

    @property
    def text(self):
        """Printed text and the text/plain of results, in order."""
        parts = []
        for out in self.outputs:
            if out.get("output_type") == "stream" and out.get("name") == "stdout":
                parts.append(out.get("text", ""))
            elif "text/plain" in out.get("data", {}):
                parts.append(out["data"]["text/plain"] + "\n")
        return "".join(parts)

    def lines(self):
        return [line.strip() for line in self.text.splitlines() if line.strip()]

    def line(self, pattern):
        """The one printed line that matches the regular expression, as its match."""
        found = [m for m in (re.search(pattern, line) for line in self.lines()) if m]
        expect(len(found) == 1, f"expected one output line matching /{pattern}/, found {len(found)}")
        return found[0]

    def frame(self, which=-1):
        """A DataFrame output as a list of rows (dicts by column name), typed; only the rows it shows."""
        tables = []
        for out in self.outputs:
            html = out.get("data", {}).get("text/html", "")
            if "tsgb-dataframe" in html:
                parser = _DataFrameHtml()
                parser.feed(html)
                tables += parser.tables
        expect(tables, "no DataFrame in the cell's outputs")
        table = tables[which]
        return [{c: _typed(v, t) for c, t, v in zip(table["columns"], table["types"], row)} for row in table["rows"]]

    def plotly(self):
        """The (first) Plotly figure: {"data": [traces], "layout": {...}}."""
        for out in self.outputs:
            figure = out.get("data", {}).get("application/vnd.plotly.v1+json")
            if figure is not None:
                return json.loads(figure) if isinstance(figure, str) else figure
        raise ClaimFailed("no Plotly figure in the cell's outputs")


def row(rows, **match):
    """The one row whose columns have the given values."""
    found = [r for r in rows if all(r.get(k) == v for k, v in match.items())]
    expect(len(found) == 1, f"expected one row with {match}, found {len(found)} (the table shows {len(rows)} rows)")
    return found[0]


# ---- the claims ----

@dataclass
class Claim:
    says: str                 # the notebook's words (markdown or code), whitespace aside
    cells: tuple              # pieces of source: each names one code cell whose outputs go to check, in order
    check: Callable[..., None]


def _peak_on(outputs, target):
    """What the printed peak of TARGET's map lies on ("circle", "background", "circle and hexagon")."""
    return outputs.line(rf"^{target}\s.*peak at \(row, col\) = \(\d+, \d+\), on the (.+)$").group(1)


def _scores(outputs):
    """{target: score} from the explanation summaries ("... for 'circle' (0): score 9.424, p = 1; ...")."""
    return {m.group(1): float(m.group(2))
            for m in re.finditer(r"for '([^']+)' \(\d+\): score (-?[\d.]+)", outputs.text)}


def _scene_holds(*names):
    def check(out):
        m = out.line(r"^Scene \d+ \(\d+×\d+\): (.+)$")
        expect(m.group(1) == ", ".join(names), f"the scene holds {m.group(1)}, expected {', '.join(names)}")
    return check


# 00-smoke

def _fluent_is_magic(out):
    m = out.line(r"largest difference from the magic's map: (\S+)")
    expect(float(m.group(1)) <= 1e-6, f"the fluent API's map differs from the magic's by {m.group(1)} (allowed 1e-6)")


def _as_binds(magic, value):
    expect(_scores(magic).keys() == {"star"}, f"the magic explained {sorted(_scores(magic))}, expected star")
    expect(value.text.strip() == "star", f"top[0].TargetName is {value.text.strip()!r}, expected 'star'")


# 01-quickstart

def _tsgb_peaks_on_own_object(out):
    for target in ("circle", "hexagon"):
        on = _peak_on(out, target)
        expect(on == target, f"TSGB's {target} map peaks on the {on}, not on the {target}")


def _gradcam_hexagon_on_circle(out):
    on = _peak_on(out, "hexagon")
    expect(on == "circle", f"Grad-CAM's hexagon map peaks on the {on}, not on the circle")


def _magic_same_scores(fluent, magic):
    a, b = _scores(fluent), _scores(magic)
    expect(a.keys() == b.keys() == {"circle", "hexagon"}, f"targets {sorted(a)} and {sorted(b)}")
    for t in a:
        expect(near(a[t], b[t], 1e-3), f"{t}: score {b[t]} from the magic, {a[t]} from the fluent API")


# 02-methods-tour: selectivity = the share of positive energy in the target's own box minus in the other's

def _selectivity(rows, method, target):
    r = row(rows, method=method, target=target)
    return r["energy_in_own_box"] - r["energy_in_other_box"]


def _tsgb_own_box(out):
    rows = out.frame()
    for target in ("circle", "hexagon"):
        r = row(rows, method="tsgb", target=target)
        expect(r["energy_in_own_box"] >= 0.5 and _selectivity(rows, "tsgb", target) >= 0.3,
               f"TSGB's {target} map: {r['energy_in_own_box']:.3f} of its energy in its own box, "
               f"{r['energy_in_other_box']:.3f} in the other's (expected ≥ 0.5, and ≥ 0.3 more than in the other's)")


def _conv_alone_less_selective(out):
    rows = out.frame()
    for target in ("circle", "hexagon"):
        full, conv = _selectivity(rows, "tsgb", target), _selectivity(rows, "tsgb-conv", target)
        expect(conv < full - 0.05, f"{target}: TSGB-Conv alone selectivity {conv:.3f}, full TSGB {full:.3f}")


def _fc_alone_coarse(out):
    rows = out.frame()
    for target in ("circle", "hexagon"):
        full = row(rows, method="tsgb", target=target)["energy_in_own_box"]
        fc = row(rows, method="tsgb-fc", target=target)["energy_in_own_box"]
        expect(fc < full - 0.2, f"{target}: TSGB-FC alone has {fc:.3f} of its energy in the box, full TSGB {full:.3f}")


# 03-ablation

def _bn_rows(rows, with_rule):
    return [r for r in rows if ("no BN rule" in r["setting"]) != with_rule]


def _beta(setting):
    return float(setting.split(",")[0].removeprefix("β="))


def _bn_rule_hits(out):
    for r in _bn_rows(out.frame(), True):
        expect(r["pointing_hit"] == 1, f"{r['setting']}, {r['target']}: the peak misses its target")


def _selectivity_grows_with_beta(out):
    rows = _bn_rows(out.frame(), True)
    for target in ("circle", "hexagon"):
        series = sorted((_beta(r["setting"]), r["selectivity"]) for r in rows if r["target"] == target)
        expect(len(series) >= 3, f"{target}: {len(series)} β settings")
        expect(all(a[1] < b[1] for a, b in zip(series, series[1:])),
               f"{target}: selectivity against β is not increasing: {[(b, round(s, 3)) for b, s in series]}")


def _no_bn_rule_misses_hexagon(out):
    rows = [r for r in _bn_rows(out.frame(), False) if r["target"] == "hexagon"]
    expect(rows, "no rows without the BatchNorm rule")
    for r in rows:
        expect(r["pointing_hit"] == 0, f"{r['setting']}: the hexagon's map hits it")


def _all_layers_best(out):
    rows = out.frame()
    for target in ("circle", "hexagon"):
        own = [r for r in rows if r["target"] == target]
        full = row(own, setting="β=0.8")
        for r in own:
            if r is not full:
                for column in ("energy_in_box", "selectivity"):
                    expect(full[column] > r[column], f"{target}: {column} {full[column]:.3f} with every convolution, "
                                                     f"{r[column]:.3f} {r['setting']}")


def _from_layer3(out):
    rows = out.frame()
    before = [r for r in rows if r["layer"].split(".")[0] in ("conv1", "bn1", "relu", "maxpool", "layer1", "layer2")]
    expect(before and all(r["rule"] == "gradient" for r in before),
           "a layer before layer3 does not keep the plain gradient: "
           + ", ".join(f"{r['layer']} {r['rule']}" for r in before if r["rule"] != "gradient"))
    convs = [r for r in rows if r["layer"].startswith("layer3") and r["type"] == "Conv2d"]
    expect(convs and all(r["rule"] == "tsgb-conv" for r in convs),
           "layer3's convolutions (as far as the table shows) are not all tsgb-conv")


def _rules(out):
    """{composite: {rule: [layers in printed order]}} from PrintRules' lines ("name" then "  rule: a, b, c")."""
    found, current = {}, None
    for line in out.text.splitlines():
        if not line.strip():
            continue
        if line.startswith("  ") and current is not None:
            rule, _, layers = line.strip().partition(": ")
            found[current][rule] = [name.strip() for name in layers.split(",")]
        else:
            current = line.strip()
            found[current] = {}
    return found


def _composite(rules, selector):
    named = [name for name in rules if selector in name]
    expect(len(named) == 1, f"expected one composite printed with {selector!r}, found {named}")
    return rules[named[0]]


def _stage(layer):
    return layer.split(".")[0]


def _from_until_layers(out):
    rules = _rules(out)
    every = [name for name in rules if "from" not in name and "until" not in name]
    expect(len(every) == 1, f"expected one composite on every convolution, found {every}")
    every, late, early = rules[every[0]], _composite(rules, "from layer3"), _composite(rules, "until layer2")
    for rule in ("tsgb-conv", "tsgb-bn"):
        expect(set(_stage(l) for l in late[rule]) == {"layer3", "layer4"},
               f"from layer3: {rule} on {late[rule]}, expected layer3's and layer4's layers only")
        expect(set(_stage(l) for l in early[rule]) == {"conv1", "bn1", "layer1", "layer2"} - ({"bn1"} if rule == "tsgb-conv" else {"conv1"}),
               f"until layer2: {rule} on {early[rule]}, expected the stem's, layer1's and layer2's layers only")
        # together the two halves are the whole composite, each layer once, in the same (forward) order
        expect(early[rule] + late[rule] == every[rule],
               f"{rule}: until layer2 {early[rule]} then from layer3 {late[rule]} is not every layer {every[rule]}")
    # Until(layer2) ends at layer2's last leaf: the downsample branch's BatchNorm runs after the block's bn2
    expect(early["tsgb-bn"][-1] == "layer2.0.downsample.1", f"until layer2 ends at {early['tsgb-bn'][-1]}")
    # forward order: the stages appear in the order the forward pass runs them
    order = ["conv1", "bn1", "layer1", "layer2", "layer3", "layer4"]
    for rule in ("tsgb-conv", "tsgb-bn"):
        stages = [order.index(_stage(l)) for l in every[rule]]
        expect(stages == sorted(stages), f"{rule} layers are not in forward order: {every[rule]}")
    for composite in (every, late, early):
        fc = [layers for rule, layers in composite.items() if rule.startswith("tsgb-fc")]
        expect(fc == [["fc"]], f"TSGB-FC is on {fc}, expected on fc alone")


def _peak_and_share(out, name):
    m = out.line(rf"^{name}\s+peak at \(row, col\) = \(\d+, \d+\), on the (.+); energy in the hexagon's box ([\d.]+)$")
    return m.group(1), float(m.group(2))


def _late_picks_the_object(out):
    late, _ = _peak_and_share(out, "from layer3")
    early, _ = _peak_and_share(out, "until layer2")
    expect(late == "hexagon", f"from layer3 on, the hexagon's map peaks on the {late}")
    expect(early == "circle", f"until layer2, the hexagon's map peaks on the {early}, not on the circle")


def _late_alone_spreads(out):
    _, share = _peak_and_share(out, "from layer3")
    expect(share < 0.5, f"from layer3: {share:.2f} of the energy in the hexagon's box, not a minority")


def _every_layer_gathers_most(out):
    _, every = _peak_and_share(out, "every convolution")
    for name in ("from layer3", "until layer2"):
        _, half = _peak_and_share(out, name)
        expect(every > half + 0.05, f"{name}: {half:.2f} of the energy in the hexagon's box, every convolution {every:.2f}")


# 04-layer-statistics

def _trace(figure, name):
    found = [t for t in figure["data"] if t.get("name") == name]
    expect(len(found) == 1, f"expected one trace named {name!r}")
    return dict(zip(found[0]["x"], found[0]["y"]))


def _part_at_last_linear(out):
    figure = out.plotly()
    plain, tsgb = _trace(figure, "gradient"), _trace(figure, "TSGB")
    expect(near(plain["classifier.6"], tsgb["classifier.6"], 1e-6 * abs(plain["classifier.6"])),
           f"‖g‖ at classifier.6: {plain['classifier.6']} and {tsgb['classifier.6']}, expected the same seed")
    a, b = plain["classifier.5"], tsgb["classifier.5"]
    expect(max(a, b) > 1.5 * min(a, b), f"‖g‖ at classifier.5: {a:.4g} and {b:.4g}, expected them apart")


def _positive_shares(out):
    rows = [r for r in out.frame() if r["layer"].startswith("features.") and int(r["layer"].split(".")[1]) <= 12]
    expect(len(rows) == 13, f"{len(rows)} rows for features.0 to features.12")
    plain = [r["positive share (non-zero), gradient"] for r in rows]
    tsgb = [r["positive share (non-zero), TSGB"] for r in rows]
    expect(all(0.42 <= v <= 0.58 for v in plain), f"the plain gradient's positive shares {plain}, expected ≈ 0.5")
    expect(all(0.2 <= v <= 0.45 for v in tsgb) and 0.28 <= sum(tsgb) / len(tsgb) <= 0.4,
           f"TSGB's positive shares {tsgb}, expected ≈ 1/3")


def _conserved(out):
    m = out.line(r"relevance over the (\d+) feature layers: min (\S+), max (\S+)")
    lo, hi = float(m.group(2)), float(m.group(3))
    expect(hi - lo <= 1e-4 * abs(hi), f"TSGB's relevance over the feature layers ranges from {lo} to {hi}")
    first = float(out.line(r"relevance at features.0 \(first conv output\): (\S+)").group(1))
    total = float(out.line(r"sum of the TSGB map at the input: +(\S+)").group(1))
    expect(near(first, total, 1e-4 * abs(first)), f"the map sums to {total}, the first convolution's relevance is {first}")
    m = out.line(r"plain gradient over the same layers: min (\S+), max (\S+)")
    lo, hi = float(m.group(1)), float(m.group(2))
    expect(hi > 1.2 * lo, f"the plain gradient's relevance is flat too ({lo} to {hi})")


def _rule_switches_at_features9(out):
    entries = [e.split() for e in out.text.strip().strip("[]").split(",")]
    rules = {e[0]: e[2] for e in entries if len(e) == 3}
    convs = [f"features.{i}" for i in (0, 3, 6, 9, 12)]
    expect(all(c in rules for c in convs), f"the list does not show every convolution: {sorted(rules)}")
    expect([rules[c] for c in convs] == ["gradient"] * 3 + ["tsgb-conv"] * 2,
           "rules of the convolutions: " + ", ".join(f"{c} {rules[c]}" for c in convs))


# 05-evaluation: the two tables, scene-vgg's and scene-resnet's

_TABLES = ("--model scene-vgg --methods", "--model scene-resnet --methods")


def _method(rows, name):
    return row(rows, method=name)


def _centre_baseline(vgg, resnet):
    for out in (vgg, resnet):
        v = _method(out.frame(), "centre baseline")["pointing"]
        expect(0.2 <= v <= 0.28, f"the centre baseline's pointing is {v:.3f}, expected about 0.24")


def _centre_baseline_scored(vgg, resnet):
    for model, out in (("scene-vgg", vgg), ("scene-resnet", resnet)):
        r = _method(out.frame(), "centre baseline")
        gradient = _method(out.frame(), "gradient")["energy_in_box"]
        expect(0.08 <= r["energy_in_box"] <= 0.16 and r["energy_in_box"] < gradient / 2,
               f"{model}: the centre baseline's energy in the box is {r['energy_in_box']:.3f} (gradient {gradient:.3f}), "
               "expected about 0.12 and less than half the gradient's")
        expect(near(r["class_sensitivity"], 1, 1e-9),
               f"{model}: the centre baseline's class sensitivity is {r['class_sensitivity']}, expected exactly 1")


def _tsgb_energy(vgg, resnet):
    for model, out in (("scene-vgg", vgg), ("scene-resnet", resnet)):
        rows = out.frame()
        energy = {r["method"]: r["energy_in_box"] for r in rows}
        others = max(v for k, v in energy.items() if k != "tsgb")
        expect(0.58 <= energy["tsgb"] <= 0.7 and energy["tsgb"] >= others + 0.1,
               f"{model}: TSGB's energy in the box {energy['tsgb']:.3f}, the best other {others:.3f} "
               "(expected 0.58–0.70, and by far the largest)")
        expect(0.23 <= energy["gradient"] <= 0.31, f"{model}: the gradient's energy {energy['gradient']:.3f}, "
                                                   "expected about 0.27")
        expect(0.33 <= energy["gradcam"] <= 0.49, f"{model}: Grad-CAM's energy {energy['gradcam']:.3f}, "
                                                  "expected 0.37–0.45")


def _tsgb_pointing(vgg, resnet):
    for model, out in (("scene-vgg", vgg), ("scene-resnet", resnet)):
        pointing = {r["method"]: r["pointing"] for r in out.frame()}
        best = max(v for k, v in pointing.items() if k != "tsgb")
        # 0.03: about two (image, class) pairs of 40 scenes
        expect(pointing["tsgb"] >= best - 0.03, f"{model}: TSGB's pointing {pointing['tsgb']:.3f}, the best other {best:.3f}")


def _class_sensitivity(method, low, high, expected):
    def check(vgg, resnet):
        for model, out in (("scene-vgg", vgg), ("scene-resnet", resnet)):
            rho = _method(out.frame(), method)["class_sensitivity"]
            expect(low <= rho <= high, f"{model}: {method}'s class sensitivity {rho:.3f}, expected {expected}")
    return check


def _normgrad_resnet_one(vgg, resnet):
    rho = _method(resnet.frame(), "normgrad")["class_sensitivity"]
    expect(near(rho, 1, 1e-9), f"scene-resnet: NormGrad's class sensitivity {rho!r}, expected exactly 1")


def _gradcam_best_deletion(vgg, resnet):
    for model, out in (("scene-vgg", vgg), ("scene-resnet", resnet)):
        deletion = {r["method"]: r["deletion_auc"] for r in out.frame()}
        best = min(deletion, key=deletion.get)
        expect(best == "gradcam", f"{model}: the lowest deletion AUC is {best}'s ({deletion[best]:.4f}), "
                                  f"Grad-CAM's is {deletion['gradcam']:.4f}")


# 06-your-own-model

def _classes_from_file(out):
    expect("(5 classes" in out.text, f"the loaded model: {out.text.strip()!r}, expected 5 classes")


def _one_message_each(out):
    lines = out.lines()
    expect(len(lines) == 4, f"{len(lines)} lines for 4 mistakes")
    names = ["resnet18-random.safetensors", "truncated.safetensors", "'dgo'", "not-an-image.png"]
    for line, name in zip(lines, names):
        expect(re.match(r"\w+Exception: ", line), f"not an exception's message: {line[:100]!r}")
        expect(name in line, f"the message does not name {name}: {line[:100]!r}")
    expect("'fc.weight'" in lines[0] and "[5, 512]" in lines[0], "the weights message names no key and shape")


def _describes_checkpoint(header, made):
    tensors = int(header.line(r"^(\d+) tensors, ").group(1))
    saved = made.line(r"^torch \S+: wrote \S+, (\d+) tensors, first key (\S+)$")
    expect(int(saved.group(1)) == tensors and saved.group(2).startswith("module."),
           f"PyTorch saved {saved.group(1)} tensors, first key {saved.group(2)}; expected {tensors}, 'module.' keys")
    line = made.line(r"^PyTorch checkpoint ")
    for part in ("keys epoch, arch, state_dict", f"used 'state_dict' ({tensors} tensors)", "removed the prefix 'module.'"):
        expect(part in line.string, f"the description does not say {part!r}: {line.string!r}")


def _magic_loads_checkpoint(out):
    line = out.line(r"^tsgb: weights \S*resnet18-checkpoint\.pth\.tar: ")
    expect("used 'state_dict'" in line.string, f"--verbose does not say what was used: {line.string!r}")
    expect("(5 classes" in out.text, f"the loaded model: {out.text.strip()!r}, expected 5 classes")


def _same_weights(out):
    m = out.line(r"^same weights: (\w+) \((\d+) tensors compared\)$")
    expect(m.group(1) == "True" and int(m.group(2)) > 100, f"same weights: {m.group(1)} ({m.group(2)} tensors compared)")
    difference = float(out.line(r"largest difference of their logits on two random inputs: (\S+)$").group(1))
    expect(difference <= 1e-6, f"the logits differ by {difference} (allowed 1e-6)")


def _converted(out):
    m = out.line(r"^wrote \S*resnet18-converted\.safetensors: (\d+) tensors, F32, ")
    expect(int(m.group(1)) > 100, f"convert wrote {m.group(1)} tensors")


def _pth_messages(out):
    lines = out.lines()
    expect(len(lines) == 2, f"{len(lines)} lines for 2 mistakes")
    for line, name in zip(lines, ["resnet18-checkpoint.pth.tar", "truncated.pth.tar"]):
        expect(line.startswith("WeightsException: ") and name in line, f"not a message naming {name}: {line[:100]!r}")
    expect("'fc.weight'" in lines[0] and "[5, 512]" in lines[0], "the architecture message names no key and shape")
    expect("truncated" in lines[1], f"the message does not say truncated: {lines[1][:160]!r}")


def _payload_refused(out):
    refusal = out.line(r"^WeightsException: Weights file '\S*hostile\.pth': ")
    for part in (".system;", "only tensors and plain containers are allowed", "refused the file without running anything"):
        expect(part in refusal.string, f"the refusal does not say {part!r}: {refusal.string[:160]!r}")
    ran = out.line(r"^the payload ran: (\w+)$").group(1)
    expect(ran == "False", f"the payload ran: {ran}")


def _payload_live(out):
    ran = out.line(r"^after torch.load, the payload ran: (\w+)$").group(1)
    expect(ran == "True", f"PyTorch's torch.load did not run the payload ({ran}): the refusal proves nothing")


# 07-scripting

def _cli_map_is_api_map(out):
    expect("shape [112, 112]" in out.text, "the .npy is not 112×112")
    m = out.line(r"largest difference from the fluent API's map: (\S+)")
    expect(float(m.group(1)) <= 1e-6, f"the CLI's map differs from the fluent API's by {m.group(1)} (allowed 1e-6)")


def _one_stderr_line_exit_2(out):
    # Shell prints the command's stderr after "stderr: ", then "(exit code N)"; the cell's value is N.
    # libtorch's own warnings ("[W1202 15:04:08.573 NNPACK.cpp:56] ...", on CPUs it does not know) are not tsgb's.
    lines = [l.removeprefix("stderr: ") for l in out.lines()]
    stderr = lines[:-2] if len(lines) >= 2 else []
    stderr = [l for l in stderr if not re.match(r"\[W\d{4} [\d:.]+ \S+:\d+\]", l)]
    expect(len(stderr) == 1 and stderr[0].startswith("error: "), f"stderr: {stderr}, expected one line 'error: ...'")
    expect(lines[-2:] == ["(exit code 2)", "2"], f"ends with {lines[-2:]}, expected exit code 2")


CLAIMS = {
    "00-smoke.ipynb": [
        Claim("`--as NAME` makes a result a C# variable",
              ("--target top --method tsgb --as top", "top[0].TargetName"), _as_binds),
        Claim("The same map from C#", ("largest difference from the magic's map",), _fluent_is_magic),
    ],
    "01-quickstart.ipynb": [
        Claim("Scene 4 holds a circle and a hexagon", ("var scene = Scenes.Generate(4);",),
              _scene_holds("circle", "hexagon")),
        Claim("TSGB's hexagon map above stays on the hexagon", ("foreach (var e in tsgb)",), _tsgb_peaks_on_own_object),
        Claim("on this scene Grad-CAM's map for *hexagon* lands on the circle", ("foreach (var e in cam)",),
              _gradcam_hexagon_on_circle),
        Claim("`--scene 4` draws the same scene", ("var tsgb = model.Explain", "--as fromMagic"), _magic_same_scores),
    ],
    "02-methods-tour.ipynb": [
        Claim("the scene holds a circle and a hexagon", ("var scene = Scenes.Generate(4);",),
              _scene_holds("circle", "hexagon")),
        Claim("A target-selective method puts its energy in its own box.", ("energy_in_own_box",), _tsgb_own_box),
        Claim("TSGB-Conv alone is less selective", ("energy_in_own_box",), _conv_alone_less_selective),
        Claim("TSGB-FC alone is not yet fine-grained", ("energy_in_own_box",), _fc_alone_coarse),
    ],
    "03-ablation.ipynb": [
        Claim("With the BatchNorm rule every map's peak hits its target", ("--as betaAblation",), _bn_rule_hits),
        Claim("selectivity grows with β for both targets", ("--as betaAblation",), _selectivity_grows_with_beta),
        Claim("without it the hexagon's maps miss it at every β", ("--as betaAblation",), _no_bn_rule_misses_hexagon),
        Claim("Rectifying every convolution gives both targets the largest share of energy in their box and the "
              "highest selectivity", ("--as layerAblation",), _all_layers_best),
        Claim("`layer3` keeps the plain gradient in the stem and the first two stages", ("e.LayerStats",), _from_layer3),
        Claim("`Until(\"layer2\")` rectifies exactly those and leaves `layer3` and `layer4` alone: together they cover "
              "every convolution once", ("PrintRules(early);",), _from_until_layers),
        Claim("from `layer3` on, the peak lies on the hexagon; until `layer2`, the late stages pass the plain gradient and "
              "the peak lands on the circle", ("ShareInBox(x, \"hexagon\")",), _late_picks_the_object),
        Claim("with the plain gradient below `layer3`, most of the map's energy lies outside the hexagon's box",
              ("ShareInBox(x, \"hexagon\")",), _late_alone_spreads),
        Claim("Neither half alone gathers as much of the map's energy in the hexagon's box as rectifying every "
              "convolution does", ("ShareInBox(x, \"hexagon\")",), _every_layer_gathers_most),
    ],
    "04-layer-statistics.ipynb": [
        Claim("they part ways at `classifier.6`", ("norms.WithTitle",), _part_at_last_linear),
        Claim("the plain gradient is about half positive, half negative; TSGB's flow is about one third positive there",
              ("PositiveShare",), _positive_shares),
        Claim("should sum to the relevance at the first convolution", ("double mapSum",), _conserved),
        Claim("The table shows the rule switching at that layer", ("var late = ",), _rule_switches_at_features9),
    ],
    "05-evaluation.ipynb": [
        Claim("The **centre baseline** is not zero on pointing (about 0.24)", _TABLES, _centre_baseline),
        Claim("Scored like any map, it keeps about 0.12 of its energy in the target's box (less than half the plain "
              "gradient's share), and its class sensitivity is exactly 1", _TABLES, _centre_baseline_scored),
        Claim("**TSGB** puts by far the largest share of its energy inside the target's box (about 0.62–0.66 against "
              "0.27 for the gradient and 0.37–0.45 for Grad-CAM)", _TABLES, _tsgb_energy),
        Claim("its peak hits the target as often as the best of the others", _TABLES, _tsgb_pointing),
        Claim("Grad-CAM's maps for the most and the least probable class are nearly uncorrelated (≈ 0.09)", _TABLES,
              _class_sensitivity("gradcam", 0.04, 0.14, "≈ 0.09")),
        Claim("guided backprop's are almost the same map (0.87–0.96)", _TABLES,
              _class_sensitivity("guided-backprop", 0.83, 1, "0.87–0.96")),
        Claim("NormGrad at the last block of the ResNet scores exactly 1", _TABLES, _normgrad_resnet_one),
        Claim("TSGB sits between (≈ 0.45)", _TABLES, _class_sensitivity("tsgb", 0.4, 0.5, "≈ 0.45")),
        Claim("coarse maps (Grad-CAM) do best on deletion", _TABLES, _gradcam_best_deletion),
    ],
    "06-your-own-model.ipynb": [
        Claim("`Zoo.Load` reads the number of classes from the file", ("var mine = Zoo.Load",), _classes_from_file),
        Claim("Every mistake gets one message that names the file, the key, the shape or the label",
              ("string Error(Action action)",), _one_message_each),
        Claim("`WeightsFile.Describe` then says what Tsgb finds in the file and what it uses of it",
              ('Directory.CreateDirectory("work/06");', "int Python(string script)"), _describes_checkpoint),
        Claim("`--verbose` adds the line on what was used", ("#!tsgb model resnet18 --weights",), _magic_loads_checkpoint),
        Claim("The checkpoint holds the very weights of the safetensors file, and loads to the same model",
              ("var labels = LabelSet.FromFile",), _same_weights),
        Claim("`tsgb convert` writes the state dict it uses as safetensors", ("#!tsgb convert",), _converted),
        Claim("PyTorch files get the same messages", ("truncated.pth.tar",), _pth_messages),
        Claim("Tsgb refuses the file, and says why", ('Zoo.Load("resnet18", "work/06/hostile.pth")',), _payload_refused),
        Claim("The file is not inert: PyTorch's own `torch.load` runs the command", ("after torch.load",), _payload_live),
    ],
    "07-scripting.ipynb": [
        Claim("It is the same map the fluent API computes", ("var maxDiff",), _cli_map_is_api_map),
        Claim("Mistakes end with one line on stderr and exit code 2", ("--target hexgon",), _one_stderr_line_exit_2),
    ],
}


def _words(text):
    return " ".join(text.split())


def _find_cell(nb, piece):
    hits = [i for i, c in enumerate(nb.cells) if c.get("cell_type") == "code" and piece in c.get("source", "")]
    expect(len(hits) == 1, f"expected one code cell containing {piece!r}, found {len(hits)}: "
                           "the notebook changed, update tests/kernel/notebook_claims.py")
    return hits[0]


def check_claims(nb, name):
    """Checks the claims registered for the notebook NAME against nb's outputs: [(claim, cell indices, error or None)]."""
    text = [_words(c.get("source", "")) for c in nb.cells]
    results = []
    for claim in CLAIMS.get(name, []):
        index = None
        try:
            expect(any(_words(claim.says) in t for t in text),
                   "these words are no longer in the notebook: update the claim with the text")
            indices = [_find_cell(nb, piece) for piece in claim.cells]
            index = indices
            for i in indices:
                expect(nb.cells[i].get("outputs"), f"cell {i} has no outputs (not run?)")
            claim.check(*(Outputs(i, nb.cells[i]) for i in indices))
            results.append((claim, index, None))
        except ClaimFailed as e:
            results.append((claim, index, str(e)))
        except (KeyError, ValueError, TypeError, IndexError) as e:  # output not in the expected shape
            results.append((claim, index, f"{type(e).__name__}: {e}"))
    return results


def describe(claim, index, error):
    where = "cell ?" if index is None else f"cell{'s' if len(index) > 1 else ''} {', '.join(map(str, index))}"
    says = _words(claim.says)
    says = says if len(says) <= 90 else says[:87] + "..."
    return f"{where}: \"{says}\": " + ("holds" if error is None else f"FAILED: {error}")


def main(paths):
    import nbformat
    failed = 0
    for path in paths:
        name = os.path.basename(path)
        for claim, index, error in check_claims(nbformat.read(path, as_version=4), name):
            failed += error is not None
            print(f"{name}: {describe(claim, index, error)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
