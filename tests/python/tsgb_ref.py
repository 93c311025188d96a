"""Independent PyTorch reference for Tsgb saliency maps.

Everything the C# side computes is re-derived here from the written formulas
(see the module-level docstrings of each rule), using plain PyTorch 1.13:

* a minimal safetensors writer/reader (F32 / F16 / F64),
* the architectures, with torchvision's module names (no torchvision needed),
* the backward rules (TSGB-Conv, BatchNorm/AvgPool companions, TSGB-FC,
  guided and deconvnet ReLU) as torch.autograd.Function subclasses installed
  by forward hooks,
* the saliency methods (input-gradient family, CAM family, NormGrad,
  integrated gradients), all batched over targets.

Conventions: the score is the raw logit of the target class; several targets
are computed as one batch (the input repeated once per target, row i scored on
target i, one backward of the summed scores).
"""

import contextlib
import json
import math
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

EPS = 1e-10

# --------------------------------------------------------------------------
# safetensors
# --------------------------------------------------------------------------

_ST_DTYPES = {"F32": np.dtype("<f4"), "F16": np.dtype("<f2"), "F64": np.dtype("<f8")}


def save_safetensors(path, tensors, dtype="F32", metadata=None):
    """Write {name: array-like} as safetensors with every tensor stored as `dtype`.

    Layout: u64 little-endian header length, JSON header (padded with spaces to
    a multiple of 8 bytes), then the raw little-endian data, contiguous, in the
    order of `tensors`.
    """
    np_dtype = _ST_DTYPES[dtype]
    header = {}
    arrays = []
    offset = 0
    for name, value in tensors.items():
        if isinstance(value, torch.Tensor):
            value = value.detach().cpu().numpy()
        arr = np.ascontiguousarray(np.asarray(value).astype(np_dtype, copy=False))
        nbytes = arr.nbytes
        header[name] = {"dtype": dtype, "shape": list(arr.shape), "data_offsets": [offset, offset + nbytes]}
        arrays.append(arr)
        offset += nbytes
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((-len(raw)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for arr in arrays:
            f.write(memoryview(arr.reshape(-1)).cast("B"))


def load_safetensors(path):
    """Read a safetensors file into {name: numpy array}; checks the offsets tile the data."""
    with open(path, "rb") as f:
        blob = f.read()
    (hlen,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + hlen].decode("utf-8"))
    data = memoryview(blob)[8 + hlen:]
    header.pop("__metadata__", None)
    out = {}
    spans = []
    for name, info in header.items():
        dt = _ST_DTYPES[info["dtype"]]
        start, end = info["data_offsets"]
        shape = tuple(info["shape"])
        count = int(np.prod(shape)) if shape else 1
        if end - start != count * dt.itemsize:
            raise ValueError(f"{name}: byte span {end - start} does not match shape {shape}")
        out[name] = np.frombuffer(data[start:end], dtype=dt).reshape(shape).copy()
        spans.append((start, end))
    spans.sort()
    pos = 0
    for start, end in spans:
        if start != pos:
            raise ValueError("safetensors data offsets are not contiguous")
        pos = end
    if pos != len(data):
        raise ValueError("safetensors data section has trailing bytes")
    return out


def state_tensors(model):
    """Parameters and BN running stats by state_dict name (num_batches_tracked omitted)."""
    return {k: v for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}


# --------------------------------------------------------------------------
# Architectures (torchvision module names)
# --------------------------------------------------------------------------

class TinyVGG(nn.Module):
    def __init__(self, num_classes=5):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1),        # 0
            nn.BatchNorm2d(8),                    # 1
            nn.ReLU(),                            # 2
            nn.MaxPool2d(2, 2),                   # 3
            nn.Conv2d(8, 16, 3, padding=1),       # 4
            nn.BatchNorm2d(16),                   # 5
            nn.ReLU(),                            # 6
            nn.AvgPool2d(2, 2),                   # 7
            nn.Conv2d(16, 16, 3, stride=2, padding=1),  # 8
            nn.BatchNorm2d(16),                   # 9
            nn.ReLU(),                            # 10
        )
        self.avgpool = nn.AdaptiveAvgPool2d((2, 2))
        self.classifier = nn.Sequential(
            nn.Linear(64, 32), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(32, 32), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(32, num_classes),
        )

    def forward(self, x):
        x = self.features(x)
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        return self.classifier(x)


VGG16_CFG = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]


class VGG(nn.Module):
    def __init__(self, cfg=VGG16_CFG, num_classes=1000):
        super().__init__()
        layers = []
        cin = 3
        for v in cfg:
            if v == "M":
                layers.append(nn.MaxPool2d(2, 2))
            else:
                layers += [nn.Conv2d(cin, v, 3, padding=1), nn.ReLU()]
                cin = v
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x):
        x = self.features(x)
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        return self.classifier(x)


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU()
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)


class ResNet(nn.Module):
    def __init__(self, block, blocks, planes, stem_channels=64, stem_kernel=7, num_classes=1000):
        super().__init__()
        self.conv1 = nn.Conv2d(3, stem_channels, stem_kernel, stride=2, padding=stem_kernel // 2, bias=False)
        self.bn1 = nn.BatchNorm2d(stem_channels)
        self.relu = nn.ReLU()
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self._layer_names = []
        inplanes = stem_channels
        for i, (n, p) in enumerate(zip(blocks, planes)):
            stride = 1 if i == 0 else 2
            mods = []
            for j in range(n):
                s = stride if j == 0 else 1
                down = None
                if j == 0 and (s != 1 or inplanes != p * block.expansion):
                    down = nn.Sequential(
                        nn.Conv2d(inplanes, p * block.expansion, 1, stride=s, bias=False),
                        nn.BatchNorm2d(p * block.expansion),
                    )
                mods.append(block(inplanes, p, s, down))
                inplanes = p * block.expansion
            name = f"layer{i + 1}"
            setattr(self, name, nn.Sequential(*mods))
            self._layer_names.append(name)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(inplanes, num_classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        for name in self._layer_names:
            x = getattr(self, name)(x)
        x = torch.flatten(self.avgpool(x), 1)
        return self.fc(x)


def tiny_resnet(num_classes=5):
    return ResNet(BasicBlock, [1, 1], [8, 16], stem_channels=8, stem_kernel=3, num_classes=num_classes)


def resnet50(num_classes=1000):
    return ResNet(Bottleneck, [3, 4, 6, 3], [64, 128, 256, 512], stem_channels=64, stem_kernel=7,
                  num_classes=num_classes)


# --------------------------------------------------------------------------
# Initialisation
# --------------------------------------------------------------------------

def init_random(model, gen, bias_scale=0.1):
    """Kaiming-normal weights (fan_in; ReLU gain except the last Linear), small random biases,
    random BN affine parameters. BN running stats are set by calibrate_bn."""
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    last = linears[-1] if linears else None
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                fan_in = m.weight[0].numel()
                gain = 1.0 if m is last else math.sqrt(2.0)
                m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * (gain / math.sqrt(fan_in)))
                if m.bias is not None:
                    m.bias.copy_((torch.rand(m.bias.shape, generator=gen) * 2 - 1) * bias_scale)
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.copy_(0.5 + torch.rand(m.weight.shape, generator=gen))
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.2)


def calibrate_bn(model, x_cal, gen):
    """Give every BatchNorm2d non-trivial but sane running stats: the per-channel statistics of
    its actual input on a calibration batch, perturbed (mean shifted by 0.2 std * randn, variance
    scaled by a factor in [0.5, 2]). Done in eval mode, layer by layer, through pre-hooks."""
    def pre_hook(m, inp):
        x = inp[0].detach()
        mean = x.mean(dim=(0, 2, 3))
        var = x.var(dim=(0, 2, 3), unbiased=False)
        std = var.sqrt()
        m.running_mean.copy_(mean + 0.2 * std * torch.randn(mean.shape, generator=gen).to(x.dtype))
        m.running_var.copy_(var * (0.5 + 1.5 * torch.rand(var.shape, generator=gen).to(x.dtype)) + 1e-3)

    handles = [m.register_forward_pre_hook(pre_hook) for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    try:
        with torch.no_grad():
            model(x_cal)
    finally:
        for h in handles:
            h.remove()


def calibrate_conv_linear(model, x_cal, gen, shift=0.0, shift_linear=None, skip_last=True):
    """Data-dependent scaling for nets without BatchNorm (VGG): layer by layer on a calibration
    batch, rescale each Conv2d/Linear weight so its pre-activations have unit std per output
    channel (per layer for Linear) and set the bias to give them mean `shift` (`shift_linear` for
    Linear layers when given), plus a little noise. The last Linear is
    left as initialised when skip_last."""
    last = last_linear(model)

    def hook(m, inp, out):
        if skip_last and m is last:
            return None
        x = inp[0]
        with torch.no_grad():
            if isinstance(m, nn.Conv2d):
                z = F.conv2d(x, m.weight, None, m.stride, m.padding, m.dilation, m.groups)
                dims = (0, 2, 3)
            else:
                z = F.linear(x, m.weight)
                dims = (0, 1)  # few samples: one mean/std for the whole layer
            mean = z.mean(dim=dims).expand(z.shape[1])
            std = z.std(dim=dims).clamp(min=1e-6).expand(z.shape[1])
            shape = (-1,) + (1,) * (m.weight.dim() - 1)
            m.weight.div_(std.view(shape))
            noise = 0.1 * torch.randn(mean.shape, generator=gen).to(mean.dtype)
            sh = shift if (shift_linear is None or isinstance(m, nn.Conv2d)) else shift_linear
            m.bias.copy_(-mean / std + sh + noise)
            return m._conv_forward(x, m.weight, m.bias) if isinstance(m, nn.Conv2d) else F.linear(x, m.weight, m.bias)

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    try:
        with torch.no_grad():
            model(x_cal)
    finally:
        for h in handles:
            h.remove()


def relu_activity(model, x):
    """Fraction of strictly positive ReLU inputs, per ReLU call (module name, call index)."""
    stats = []
    names = {m: n for n, m in model.named_modules()}

    def hook(m, inp, out):
        stats.append((names[m], float((inp[0] > 0).double().mean())))

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, nn.ReLU)]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return stats


# --------------------------------------------------------------------------
# Backward rules
# --------------------------------------------------------------------------

def _pair(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


def tsgb_conv_grad(x, y, g, kernel_size, stride, padding, dilation):
    """TSGB-Conv: c = sum_k g_k y_k; n = conv2d(sum_c |x_c|, ones); r = c / (n + eps);
    g_x[c] = sign(x_c) * conv_transpose2d(r, ones) (output padding restores x's size)."""
    kh, kw = kernel_size
    ones = torch.ones(1, 1, kh, kw, dtype=x.dtype, device=x.device)
    c = (g * y).sum(dim=1, keepdim=True)
    n = F.conv2d(x.abs().sum(dim=1, keepdim=True), ones, None, stride, padding, dilation)
    r = c / (n + EPS)
    H, W = x.shape[-2:]
    Ho, Wo = r.shape[-2:]
    op = []
    for size, out, k, s, p, d in ((H, Ho, kh, stride[0], padding[0], dilation[0]),
                                  (W, Wo, kw, stride[1], padding[1], dilation[1])):
        o = size - ((out - 1) * s - 2 * p + d * (k - 1) + 1)
        if not (0 <= o < max(s, d)):
            raise ValueError(f"cannot restore size {size} from {out} (output padding {o})")
        op.append(o)
    back = F.conv_transpose2d(r, ones, None, stride, padding, tuple(op), 1, dilation)
    return torch.sign(x) * back


class _ConvRule(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y, conf):
        ctx.save_for_backward(x, y)
        ctx.conf = conf
        return y.clone()

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        return tsgb_conv_grad(x, y, g, *ctx.conf), None, None


class _BNRule(torch.autograd.Function):
    """BatchNorm2d with TSGB-Conv: g_x = g * y / (x + eps)."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return y.clone()

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        return g * y / (x + EPS), None


class _AvgPoolRule(torch.autograd.Function):
    """AvgPool2d with TSGB-Conv: g_x = avg_pool2d_backward(g * y) / (x + eps)."""

    @staticmethod
    def forward(ctx, x, y, pool):
        ctx.save_for_backward(x, y)
        ctx.pool = pool
        return y.clone()

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        p = ctx.pool
        with torch.enable_grad():
            xx = x.detach().requires_grad_(True)
            out = F.avg_pool2d(xx, p.kernel_size, p.stride, p.padding, p.ceil_mode,
                               p.count_include_pad, p.divisor_override)
            (pooled_back,) = torch.autograd.grad(out, xx, g * y)
        return pooled_back / (x + EPS), None, None


def tsgb_fc_beta(x, weight, m=1.0):
    """beta = m * z+ / |z-| per output unit (N x O), 0 where z- == 0; z+- = x W+-^T (no bias)."""
    zp = x @ weight.clamp(min=0).t()
    zn = x @ weight.clamp(max=0).t()
    nonzero = zn != 0
    safe = torch.where(nonzero, zn.abs(), torch.ones_like(zn))
    return torch.where(nonzero, m * zp / safe, torch.zeros_like(zn))


def tsgb_fc_grad(x, g, weight, m=1.0):
    """TSGB-FC: g_x = g W+ + (g * beta) W-."""
    beta = tsgb_fc_beta(x, weight, m)
    return g @ weight.clamp(min=0) + (g * beta) @ weight.clamp(max=0)


class _FCRule(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y, weight, m):
        ctx.save_for_backward(x, weight)
        ctx.m = m
        return y.clone()

    @staticmethod
    def backward(ctx, g):
        x, weight = ctx.saved_tensors
        return tsgb_fc_grad(x, g, weight.detach(), ctx.m), None, None, None


class _GuidedReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x)
        return y.clone()

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g.clamp(min=0) * (x > 0).to(g.dtype), None


class _DeconvReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        return y.clone()

    @staticmethod
    def backward(ctx, g):
        return g.clamp(min=0), None


def last_linear(model):
    lin = [m for m in model.modules() if isinstance(m, nn.Linear)]
    return lin[-1]


@contextlib.contextmanager
def rules(model, conv=False, fc=False, fc_m=1.0, relu=None):
    """Install backward rules via forward hooks for the duration of the forward pass.

    conv: TSGB-Conv on every Conv2d plus the BatchNorm2d / AvgPool2d companions.
    fc:   TSGB-FC on the last Linear, multiplier fc_m.
    relu: None, "guided" or "deconvnet".
    """
    handles = []

    def conv_hook(m, inp, out):
        conf = (_pair(m.kernel_size), _pair(m.stride), _pair(m.padding), _pair(m.dilation))
        if m.groups != 1:
            raise NotImplementedError("grouped convolutions")
        return _ConvRule.apply(inp[0], out, conf)

    def bn_hook(m, inp, out):
        return _BNRule.apply(inp[0], out)

    def avg_hook(m, inp, out):
        return _AvgPoolRule.apply(inp[0], out, m)

    def fc_hook(m, inp, out):
        return _FCRule.apply(inp[0], out, m.weight, fc_m)

    def guided_hook(m, inp, out):
        return _GuidedReLU.apply(inp[0], out)

    def deconv_hook(m, inp, out):
        return _DeconvReLU.apply(inp[0], out)

    try:
        for mod in model.modules():
            if conv and isinstance(mod, nn.Conv2d):
                handles.append(mod.register_forward_hook(conv_hook))
            elif conv and isinstance(mod, nn.BatchNorm2d):
                handles.append(mod.register_forward_hook(bn_hook))
            elif conv and isinstance(mod, nn.AvgPool2d):
                handles.append(mod.register_forward_hook(avg_hook))
            elif relu == "guided" and isinstance(mod, nn.ReLU):
                handles.append(mod.register_forward_hook(guided_hook))
            elif relu == "deconvnet" and isinstance(mod, nn.ReLU):
                handles.append(mod.register_forward_hook(deconv_hook))
        if fc:
            handles.append(last_linear(model).register_forward_hook(fc_hook))
        yield
    finally:
        for h in handles:
            h.remove()


# --------------------------------------------------------------------------
# Methods
# --------------------------------------------------------------------------

RULES = {
    "gradient": {},
    "guided_backprop": {"relu": "guided"},
    "deconvnet": {"relu": "deconvnet"},
    "input_x_gradient": {},
    "tsgb": {"conv": True, "fc": True},
    "tsgb_conv": {"conv": True},
    "tsgb_fc": {"fc": True},
    "tsgb_fc_beta08": {"conv": True, "fc": True, "fc_m": 0.8},
}
ABS_MAX_METHODS = ("gradient", "guided_backprop", "deconvnet")
SIGNED_SUM_METHODS = ("input_x_gradient", "tsgb", "tsgb_conv", "tsgb_fc", "tsgb_fc_beta08")
CAM_METHODS = ("gradcam", "gradcampp", "normgrad", "normgrad_selective")
ALL_METHODS = ABS_MAX_METHODS + SIGNED_SUM_METHODS + CAM_METHODS + (
    "normgrad_combined", "guided_gradcam", "integrated_gradients")
IG_STEPS = 16


def _scores(logits, targets):
    idx = torch.arange(len(targets), device=logits.device)
    t = torch.as_tensor(targets, device=logits.device)
    return logits[idx, t].sum()


def input_gradient(model, x, targets, **rule_kw):
    """d(logit_t)/dx with the given rules, batched over targets: N x C x H x W."""
    xb = x.detach().expand(len(targets), *x.shape[1:]).clone().requires_grad_(True)
    with rules(model, **rule_kw):
        logits = model(xb)
    (g,) = torch.autograd.grad(_scores(logits, targets), xb)
    return xb.detach(), g


def input_method(model, x, targets, method):
    xb, g = input_gradient(model, x, targets, **RULES[method])
    if method in ABS_MAX_METHODS:
        return g.abs().amax(dim=1)
    return (xb * g).sum(dim=1)


def layer_acts_grads(model, x, targets, layers):
    """Activations (module outputs) and plain gradients at named layers, one backward pass."""
    mods = dict(model.named_modules())
    acts = {}
    handles = []
    for name in layers:
        def hook(m, inp, out, name=name):
            acts[name] = out
        handles.append(mods[name].register_forward_hook(hook))
    xb = x.detach().expand(len(targets), *x.shape[1:]).clone().requires_grad_(True)
    try:
        logits = model(xb)
    finally:
        for h in handles:
            h.remove()
    grads = torch.autograd.grad(_scores(logits, targets), [acts[n] for n in layers])
    return {n: (acts[n].detach(), g) for n, g in zip(layers, grads)}


def upsample(cam, size):
    return F.interpolate(cam.unsqueeze(1), size=size, mode="bilinear", align_corners=False).squeeze(1)


def gradcam_map(A, G):
    alpha = G.mean(dim=(2, 3), keepdim=True)
    return F.relu((alpha * A).sum(dim=1))


def gradcampp_map(A, G):
    G2 = G * G
    G3 = G2 * G
    denom = 2 * G2 + A.sum(dim=(2, 3), keepdim=True) * G3
    ok = (G != 0) & (denom != 0)
    safe = torch.where(ok, denom, torch.ones_like(denom))
    alpha = torch.where(ok, G2 / safe, torch.zeros_like(G))
    w = (alpha * F.relu(G)).sum(dim=(2, 3), keepdim=True)
    return F.relu((w * A).sum(dim=1))


def normgrad_map(A, G):
    return G.norm(dim=1) * A.norm(dim=1)


def normgrad_selective_map(A, G):
    return F.relu(A * G).norm(dim=1)


_CAM_FNS = {"gradcam": gradcam_map, "gradcampp": gradcampp_map,
            "normgrad": normgrad_map, "normgrad_selective": normgrad_selective_map}


def minmax(m):
    """Per-map (per batch row) min-max normalisation; 0 where max == min."""
    flat = m.reshape(m.shape[0], -1)
    lo = flat.min(dim=1, keepdim=True).values
    hi = flat.max(dim=1, keepdim=True).values
    rng = hi - lo
    ok = rng > 0
    out = torch.where(ok, (flat - lo) / torch.where(ok, rng, torch.ones_like(rng)), torch.zeros_like(flat))
    return out.reshape(m.shape)


def cam_method(model, x, targets, method, layer):
    A, G = layer_acts_grads(model, x, targets, [layer])[layer]
    return upsample(_CAM_FNS[method](A, G), x.shape[-2:])


def normgrad_combined(model, x, targets, layers):
    ag = layer_acts_grads(model, x, targets, list(layers))
    out = None
    for name in layers:
        A, G = ag[name]
        m = minmax(upsample(normgrad_map(A, G), x.shape[-2:]))
        out = m if out is None else out * m
    return out


def guided_gradcam(model, x, targets, layer):
    cam = cam_method(model, x, targets, "gradcam", layer)
    _, g = input_gradient(model, x, targets, relu="guided")
    return cam * g.abs().amax(dim=1)


def integrated_gradients(model, x, targets, steps=IG_STEPS):
    x = x.detach()
    x0 = torch.zeros_like(x)
    T = len(targets)
    alphas = (torch.arange(steps, dtype=x.dtype, device=x.device) + 0.5) / steps
    # batch row (i * T + t): step i, target t
    xs = x0 + alphas.view(steps, 1, 1, 1) * (x - x0)                       # steps x C x H x W
    xs = xs.repeat_interleave(T, dim=0).requires_grad_(True)               # steps*T x C x H x W
    tg = list(targets) * steps
    logits = model(xs)
    (g,) = torch.autograd.grad(_scores(logits, tg), xs)
    g = g.view(steps, T, *x.shape[1:]).mean(dim=0)                          # T x C x H x W
    return ((x - x0) * g).sum(dim=1)


def compute_method(model, x, targets, method, layer=None, combined_layers=None):
    if method in RULES:
        return input_method(model, x, targets, method)
    if method in CAM_METHODS:
        return cam_method(model, x, targets, method, layer)
    if method == "normgrad_combined":
        return normgrad_combined(model, x, targets, combined_layers)
    if method == "guided_gradcam":
        return guided_gradcam(model, x, targets, layer)
    if method == "integrated_gradients":
        return integrated_gradients(model, x, targets)
    raise KeyError(method)
