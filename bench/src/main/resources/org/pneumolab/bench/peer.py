"""The peer side of `pneumo bench`: PyTorch (CPU) and Pillow, driven line by line by the Java
harness so that both sides are measured in the same run, interleaved.

Protocol: one command per line on stdin, one answer per line on stdout:
  threads N
  forward MODEL SIZE BATCH LAYOUT ITERS     MODEL: vgg16 | resnet50 | inception_v3,
                                            LAYOUT: nchw | channels_last
  finetune_tail SIZE BATCH ITERS W0         the shipped fine-tuning step on cached block5_conv2
                                            activations: block5_conv3 + pool + the seed's head
  resnet_c5 SIZE BATCH LAYOUT ITERS         torchvision ResNet50 (1 channel, frozen BN) to C5
  detector MODEL MODE SIZE BATCH ITERS [SETTLE]
                                            MODEL: retinanet | frcnn_c4, MODE: train | infer;
                                            torchvision detection models built like ours, one per
                                            (model, size, batch), trained SETTLE untimed steps
                                            when built (default 0)
  blas                                      the BLAS library this process has mapped ("none" when
                                            torch carries its own, statically linked)
  decode DIR SIZE THREADS MODE              MODE: pillow | pillow_draft; every *.jpg in DIR
  dicom DIR SIZE THREADS MODE               MODE: pixel_array | draft; every *.dcm in DIR, held
                                            in memory as bytes, parsed by pydicom each time
Answers: "OK <items per second>", "SKIP <why>" or "ERR <why>". Models are random-weight, built once
per shape and cached; the first call of each shape is a warm-up the caller discards.
"""
import glob
import io
import sys
import time
from concurrent.futures import ThreadPoolExecutor

try:
    import torch
    import torch.nn as nn
except ImportError as e:  # the harness reports the forward/train rows as skipped
    torch = None
    TORCH_ERROR = str(e)

from PIL import Image

try:
    import torchvision
    from torchvision.ops import misc as tv_misc
except ImportError as e:  # detector and ResNet rows are skipped with this message
    torchvision = None
    TV_ERROR = str(e)

_models = {}
_files = {}


def vgg16_features():
    cfg = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M']
    layers, c = [], 3
    for v in cfg:
        if v == 'M':
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(c, v, 3, padding=1), nn.ReLU(inplace=True)]
            c = v
    return nn.Sequential(*layers)


class Vgg16(nn.Module):
    """torchvision's VGG16 layout (no adaptive pool: the head sees the real block5 output)."""
    def __init__(self, size, classes=2):
        super().__init__()
        self.features = vgg16_features()
        s = size // 32
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(512 * s * s, 4096), nn.ReLU(True),
                                        nn.Linear(4096, 4096), nn.ReLU(True), nn.Linear(4096, classes))

    def forward(self, x):
        return self.classifier(self.features(x))


class Bottleneck(nn.Module):
    def __init__(self, cin, mid, stride):
        super().__init__()
        cout = mid * 4
        self.body = nn.Sequential(
            nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid), nn.ReLU(True),
            nn.Conv2d(mid, mid, 3, stride, 1, bias=False), nn.BatchNorm2d(mid), nn.ReLU(True),
            nn.Conv2d(mid, cout, 1, bias=False), nn.BatchNorm2d(cout))
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
        self.relu = nn.ReLU(True)

    def forward(self, x):
        idt = x if self.down is None else self.down(x)
        return self.relu(self.body(x) + idt)


def resnet50(classes=1000):
    """torchvision's ResNet-50 v1.5 (stride on the 3x3 conv)."""
    layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(True), nn.MaxPool2d(3, 2, 1)]
    cin = 64
    for mid, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
        for b in range(blocks):
            layers.append(Bottleneck(cin, mid, stride if b == 0 else 1))
            cin = mid * 4
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2048, classes)]
    return nn.Sequential(*layers)


class ConvBn(nn.Sequential):
    """Keras's conv2d_bn: conv without bias, BatchNorm (eps 1e-3), ReLU; 'same' or 'valid'."""
    def __init__(self, cin, cout, kh, kw=None, stride=1, same=True):
        kw = kh if kw is None else kw
        pad = (kh // 2, kw // 2) if same else 0
        super().__init__(nn.Conv2d(cin, cout, (kh, kw), stride, pad, bias=False),
                         nn.BatchNorm2d(cout, eps=1e-3), nn.ReLU(True))


def avg_pool_same():
    # Keras/TF divide a padded average by the real pixels only, as our graph does.
    return nn.AvgPool2d(3, 1, 1, count_include_pad=False)


class Branches(nn.Module):
    """Runs branches on the same input and concatenates their outputs on channels."""
    def __init__(self, *branches):
        super().__init__()
        self.branches = nn.ModuleList(branches)

    def forward(self, x):
        return torch.cat([b(x) for b in self.branches], 1)


class Split(nn.Module):
    """A 1x3 and a 3x1 conv on the same input, concatenated (mixed9/10's expanded banks)."""
    def __init__(self, cin, c):
        super().__init__()
        self.a = ConvBn(cin, c, 1, 3)
        self.b = ConvBn(cin, c, 3, 1)

    def forward(self, x):
        return torch.cat([self.a(x), self.b(x)], 1)


def inception_v3():
    """Keras's InceptionV3 without its top (include_top=False, output mixed10), as our
    org.pneumolab.classify.InceptionV3Graph builds it; torchvision is not installed here."""
    S = nn.Sequential
    layers = [ConvBn(3, 32, 3, stride=2, same=False), ConvBn(32, 32, 3, same=False), ConvBn(32, 64, 3),
              nn.MaxPool2d(3, 2), ConvBn(64, 80, 1, same=False), ConvBn(80, 192, 3, same=False), nn.MaxPool2d(3, 2)]
    c = 192
    for pool in (32, 64, 64):  # mixed0..2
        layers.append(Branches(ConvBn(c, 64, 1), S(ConvBn(c, 48, 1), ConvBn(48, 64, 5)),
                               S(ConvBn(c, 64, 1), ConvBn(64, 96, 3), ConvBn(96, 96, 3)),
                               S(avg_pool_same(), ConvBn(c, pool, 1))))
        c = 64 + 64 + 96 + pool
    layers.append(Branches(ConvBn(c, 384, 3, stride=2, same=False),  # mixed3
                           S(ConvBn(c, 64, 1), ConvBn(64, 96, 3), ConvBn(96, 96, 3, stride=2, same=False)),
                           nn.MaxPool2d(3, 2)))
    c = 384 + 96 + c
    for w in (128, 160, 160, 192):  # mixed4..7
        layers.append(Branches(ConvBn(c, 192, 1),
                               S(ConvBn(c, w, 1), ConvBn(w, w, 1, 7), ConvBn(w, 192, 7, 1)),
                               S(ConvBn(c, w, 1), ConvBn(w, w, 7, 1), ConvBn(w, w, 1, 7), ConvBn(w, w, 7, 1),
                                 ConvBn(w, 192, 1, 7)),
                               S(avg_pool_same(), ConvBn(c, 192, 1))))
        c = 768
    layers.append(Branches(S(ConvBn(c, 192, 1), ConvBn(192, 320, 3, stride=2, same=False)),  # mixed8
                           S(ConvBn(c, 192, 1), ConvBn(192, 192, 1, 7), ConvBn(192, 192, 7, 1),
                             ConvBn(192, 192, 3, stride=2, same=False)),
                           nn.MaxPool2d(3, 2)))
    c = 320 + 192 + c
    for _ in range(2):  # mixed9, mixed10
        layers.append(Branches(ConvBn(c, 320, 1), S(ConvBn(c, 384, 1), Split(384, 384)),
                               S(ConvBn(c, 448, 1), ConvBn(448, 384, 3), Split(384, 384)),
                               S(avg_pool_same(), ConvBn(c, 192, 1))))
        c = 2048
    return S(*layers)


def model(name, size, layout):
    key = (name, size, layout)
    if key not in _models:
        torch.manual_seed(0)
        m = {'vgg16': lambda: Vgg16(size), 'resnet50': resnet50, 'inception_v3': inception_v3}[name]()
        m.eval()
        if layout == 'channels_last':
            m = m.to(memory_format=torch.channels_last)
        _models[key] = m
    return _models[key]


def forward(name, size, batch, layout, iters):
    m = model(name, int(size), layout)
    x = torch.rand(int(batch), 3, int(size), int(size))
    if layout == 'channels_last':
        x = x.contiguous(memory_format=torch.channels_last)
    with torch.no_grad():
        t = time.perf_counter()
        for _ in range(int(iters)):
            m(x)
        dt = time.perf_counter() - t
    return int(batch) * int(iters) / dt


def finetune_tail(size, batch, iters, weight0):
    """FineTuner's step: block5_conv3 (+ReLU) -> block5_pool -> Flatten -> Dense 64 ReLU ->
    Dropout 0.33 -> BatchNorm (eps 1e-3) -> Dense 2, cross-entropy, RMSprop (Keras defaults,
    lr 1e-5), on cached block5_conv2 activations [batch, 512, size/16, size/16]."""
    size, batch = int(size), int(batch)
    s = size // 16  # 150 -> 9 (block5_conv2), pooled to 4
    key = ('finetune', size)
    if key not in _models:
        torch.manual_seed(0)
        m = nn.Sequential(nn.Conv2d(512, 512, 3, padding=1), nn.ReLU(True), nn.MaxPool2d(2, 2), nn.Flatten(),
                          nn.Linear(512 * (s // 2) * (s // 2), 64), nn.ReLU(True), nn.Dropout(0.33),
                          nn.BatchNorm1d(64, eps=1e-3, momentum=0.01), nn.Linear(64, 2))
        m.train()
        opt = torch.optim.RMSprop(m.parameters(), lr=1e-5, alpha=0.9, eps=1e-7)
        _models[key] = (m, opt, torch.rand(batch, 512, s, s), torch.randint(0, 2, (batch,)))
    m, opt, x, y = _models[key]
    loss_fn = nn.CrossEntropyLoss(weight=torch.tensor([float(weight0), 1.0]))
    t = time.perf_counter()
    for _ in range(int(iters)):
        opt.zero_grad()
        loss_fn(m(x), y).backward()
        opt.step()
    return batch * int(iters) / (time.perf_counter() - t)


def frozen_resnet50():
    """torchvision ResNet50 with FrozenBatchNorm2d and a 1-channel stem, as our detectors'
    ResNetBackbone (1 channel, batch norm as a frozen affine)."""
    r = torchvision.models.resnet50(weights=None, norm_layer=tv_misc.FrozenBatchNorm2d)
    r.conv1 = nn.Conv2d(1, 64, 7, 2, 3, bias=False)
    return r


def resnet_c5(size, batch, layout, iters):
    size, batch = int(size), int(batch)
    key = ('c5', size, layout)
    if key not in _models:
        torch.manual_seed(0)
        r = frozen_resnet50()
        body = nn.Sequential(r.conv1, r.bn1, r.relu, r.maxpool, r.layer1, r.layer2, r.layer3, r.layer4).eval()
        if layout == 'channels_last':
            body = body.to(memory_format=torch.channels_last)
        _models[key] = body
    m = _models[key]
    x = torch.rand(batch, 1, size, size)
    if layout == 'channels_last':
        x = x.contiguous(memory_format=torch.channels_last)
    with torch.no_grad():
        t = time.perf_counter()
        for _ in range(int(iters)):
            m(x)
        return batch * int(iters) / (time.perf_counter() - t)


class C4RpnHead(nn.Module):
    """Our RPN head: 3x3 conv C4 -> 512 channels, ReLU, 1x1 objectness and box deltas
    (torchvision's RPNHead keeps the input's 1024 channels)."""
    def __init__(self, cin, mid, anchors):
        super().__init__()
        self.conv = nn.Conv2d(cin, mid, 3, padding=1)
        self.cls_logits = nn.Conv2d(mid, anchors, 1)
        self.bbox_pred = nn.Conv2d(mid, anchors * 4, 1)

    def forward(self, x):
        logits, boxes = [], []
        for f in x:
            t = torch.relu(self.conv(f))
            logits.append(self.cls_logits(t))
            boxes.append(self.bbox_pred(t))
        return logits, boxes


def detector_model(name, size):
    from torchvision.models.detection import FasterRCNN, RetinaNet
    from torchvision.models.detection.anchor_utils import AnchorGenerator
    from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor
    from torchvision.ops.feature_pyramid_network import LastLevelP6P7
    from torchvision.ops import MultiScaleRoIAlign
    torch.manual_seed(0)
    r = frozen_resnet50()
    common = dict(min_size=size, max_size=size, image_mean=[0.5], image_std=[0.25])
    if name == 'retinanet':
        # ResNet50-FPN P3-P7 (P6 from C5, as ours), 256 channels, 4-conv heads, 9 anchors, 1 class.
        # trainable_layers=5: every convolution trains and only the batch norms are frozen, as in
        # ours (RetinaNetConfig.frozenNorm, the paper profile) and in keras-retinanet (freeze_bn,
        # backbone not frozen), the case study's tool; torchvision's own pretrained default (3)
        # would also freeze the stem and layer1
        backbone = _resnet_fpn_extractor(r, 5, returned_layers=[2, 3, 4], extra_blocks=LastLevelP6P7(2048, 256))
        return RetinaNet(backbone, num_classes=1, **common)
    # Faster R-CNN on C4 (stride 16, 1024 channels), no FPN: anchors 32-256 x 3 ratios, RoIAlign 7
    # on C4, two-FC 1024 head, 600/100 proposals (train and test), 256 anchors / 128 RoIs sampled
    body = nn.Sequential(r.conv1, r.bn1, r.relu, r.maxpool, r.layer1, r.layer2, r.layer3)
    body.out_channels = 1024
    anchors = AnchorGenerator(sizes=((32, 64, 128, 256),), aspect_ratios=((0.5, 1.0, 2.0),))
    return FasterRCNN(body, num_classes=2, rpn_anchor_generator=anchors,
                      rpn_head=C4RpnHead(1024, 512, 12),
                      box_roi_pool=MultiScaleRoIAlign(['0'], 7, 2),
                      rpn_pre_nms_top_n_train=600, rpn_pre_nms_top_n_test=600,
                      rpn_post_nms_top_n_train=100, rpn_post_nms_top_n_test=100,
                      rpn_batch_size_per_image=256, box_batch_size_per_image=128, **common)


def detector_data(batch, size, seed):
    """Seeded noise images in [0, 1) with 0-2 boxes each in input pixels, as the Java side."""
    g = torch.Generator().manual_seed(seed)
    images, targets = [], []
    for i in range(batch):
        images.append(torch.rand(1, size, size, generator=g))
        k = i % 3
        boxes = []
        for _ in range(k):
            w = (150 + 250 * torch.rand(1, generator=g).item()) * size / 1024
            h = (200 + 300 * torch.rand(1, generator=g).item()) * size / 1024
            x = (100 + 500 * torch.rand(1, generator=g).item()) * size / 1024
            y = (100 + 400 * torch.rand(1, generator=g).item()) * size / 1024
            boxes.append([x, y, min(size, x + w), min(size, y + h)])
        b = torch.tensor(boxes, dtype=torch.float32).reshape(-1, 4)
        targets.append({'boxes': b, 'labels': torch.ones(len(boxes), dtype=torch.int64)})
    return images, targets


def detector(name, mode, size, batch, iters, settle='0'):
    size, batch, iters, settle = int(size), int(batch), int(iters), int(settle)
    images, targets = detector_data(batch, size, 7)
    if name == 'retinanet':  # one foreground class, label index 0 of a 1-output sigmoid head
        targets = [{'boxes': t['boxes'], 'labels': torch.zeros_like(t['labels'])} for t in targets]

    def train(m, opt, steps):
        m.train()
        for _ in range(steps):
            opt.zero_grad()
            loss = sum(m(images, targets).values())
            loss.backward()
            opt.step()

    # One model per (model, size, batch), as the Java side builds one detector pair per batch and
    # infers with the model its training row trained. The work of a step depends on the model's
    # state (Faster R-CNN's box head runs on as many proposals as survive the RPN's NMS, and an
    # untrained RPN lets few through), so a model is trained SETTLE untimed steps when built: a
    # fresh process (the harness's standalone twin) then times the same state as the long-lived one.
    key = ('det', name, size, batch)
    if key not in _models:
        m = detector_model(name, size)
        opt = torch.optim.Adam([p for p in m.parameters() if p.requires_grad], lr=1e-4)
        train(m, opt, settle)
        _models[key] = (m, opt)
    m, opt = _models[key]
    if mode == 'train':
        t = time.perf_counter()
        train(m, opt, iters)
        return iters / (time.perf_counter() - t)  # steps per second
    m.eval()
    with torch.no_grad():
        t = time.perf_counter()
        for _ in range(iters):
            m(images)
        return batch * iters / (time.perf_counter() - t)  # images per second


def decode(folder, size, threads, mode):
    size, threads = int(size), int(threads)
    if folder not in _files:
        _files[folder] = [open(f, 'rb').read() for f in sorted(glob.glob(folder + '/*.jpg'))]
    blobs = _files[folder]

    def one(b):
        im = Image.open(io.BytesIO(b))
        if mode == 'pillow_draft':
            im.draft('L', (size, size))  # libjpeg DCT scaling, as ReducedJpeg does
        im = im.convert('L').resize((size, size), Image.Resampling.BOX)
        return im.size

    t = time.perf_counter()
    if threads == 1:
        for b in blobs:
            one(b)
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(one, blobs))
    return len(blobs) / (time.perf_counter() - t)


def dicom(folder, size, threads, mode):
    """pydicom parse + decode (pixel_array: Pillow's JPEG decoder for JPEG Baseline here) + BOX
    resize; or 'draft': pydicom parse, the first frame's JPEG stream handed to Pillow with draft()
    (libjpeg DCT scaling, what our ReducedJpeg path does) + BOX resize."""
    import pydicom
    from pydicom.encaps import generate_pixel_data_frame
    import numpy as np
    size, threads = int(size), int(threads)
    key = ('dcm', folder)
    if key not in _files:
        _files[key] = [open(f, 'rb').read() for f in sorted(glob.glob(folder + '/*.dcm'))]
    blobs = _files[key]

    def one(b):
        ds = pydicom.dcmread(io.BytesIO(b))
        if mode == 'draft':
            frame = next(generate_pixel_data_frame(ds.PixelData))
            im = Image.open(io.BytesIO(frame))
            im.draft('L', (size, size))
            im = im.convert('L')
        else:
            arr = ds.pixel_array
            if arr.dtype != np.uint8:
                arr = arr.astype(np.uint8)
            im = Image.fromarray(arr)
        return im.resize((size, size), Image.Resampling.BOX).size

    t = time.perf_counter()
    if threads == 1:
        for b in blobs:
            one(b)
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(one, blobs))
    return len(blobs) / (time.perf_counter() - t)


def blas():
    """The BLAS shared library mapped into this process (torch's dense layers run on it): Debian's
    python3-torch links libblas.so.3, which is the reference implementation unless a tuned one
    (libopenblas0-pthread, BLIS) is installed as its alternative."""
    if torch is not None:
        torch.ones(8, 8) @ torch.ones(8, 8)
    with open('/proc/self/maps') as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 6 and any(k in parts[5].lower() for k in ('blas', 'blis', 'mkl_rt', 'libmkl')):
                return parts[5]
    return 'none'


def main():
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        try:
            op, args = parts[0], parts[1:]
            if op == 'decode':
                answer = 'OK %.6g' % decode(*args)
            elif op == 'dicom':
                answer = 'OK %.6g' % dicom(*args)
            elif torch is None:
                answer = 'SKIP torch not importable: ' + TORCH_ERROR
            elif op == 'threads':
                torch.set_num_threads(int(args[0]))
                answer = 'OK %d' % torch.get_num_threads()
            elif op == 'forward':
                answer = 'OK %.6g' % forward(*args)
            elif op == 'finetune_tail':
                answer = 'OK %.6g' % finetune_tail(*args)
            elif op in ('resnet_c5', 'detector') and torchvision is None:
                answer = 'SKIP torchvision not importable (python3-torchvision): ' + TV_ERROR
            elif op == 'resnet_c5':
                answer = 'OK %.6g' % resnet_c5(*args)
            elif op == 'detector':
                answer = 'OK %.6g' % detector(*args)
            elif op == 'blas':
                answer = 'OK ' + blas()
            elif op == 'version':
                answer = 'OK torch ' + torch.__version__
            else:
                answer = 'ERR unknown command ' + op
        except Exception as e:  # reported in the table, never hides the row
            answer = 'ERR %s: %s' % (type(e).__name__, e)
        print(answer.replace('\n', ' '), flush=True)


if __name__ == '__main__':
    main()
