"""The peer side of `pneumo bench`: PyTorch (CPU) and Pillow, driven line by line by the Java
harness so that both sides are measured in the same run, interleaved.

Protocol: one command per line on stdin, one answer per line on stdout:
  threads N
  forward MODEL SIZE BATCH LAYOUT ITERS     MODEL: vgg16 | resnet50 | inception_v3,
                                            LAYOUT: nchw | channels_last
  train_vgg16 SIZE BATCH ITERS              block5 + small head trainable, the rest frozen
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


class Vgg16Transfer(nn.Module):
    """Frozen blocks 1-4, trainable block5 and a small head, as in the Kermany case study."""
    def __init__(self, size, classes=2):
        super().__init__()
        self.features = vgg16_features()
        for i, layer in enumerate(self.features):
            if i < 24:  # blocks 1-4 (the first 24 modules); block5 starts at index 24
                for p in layer.parameters():
                    p.requires_grad = False
        s = size // 32
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(512 * s * s, 256), nn.ReLU(True), nn.Linear(256, classes))

    def forward(self, x):
        return self.head(self.features(x))


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


def train_vgg16(size, batch, iters):
    size, batch = int(size), int(batch)
    key = ('train', size)
    if key not in _models:
        torch.manual_seed(0)
        m = Vgg16Transfer(size)
        m.train()
        opt = torch.optim.Adam([p for p in m.parameters() if p.requires_grad], lr=1e-4)
        _models[key] = (m, opt)
    m, opt = _models[key]
    x = torch.rand(batch, 3, size, size)
    y = torch.randint(0, 2, (batch,))
    loss_fn = nn.CrossEntropyLoss()
    t = time.perf_counter()
    for _ in range(int(iters)):
        opt.zero_grad()
        loss_fn(m(x), y).backward()
        opt.step()
    return batch * int(iters) / (time.perf_counter() - t)


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
            elif op == 'train_vgg16':
                answer = 'OK %.6g' % train_vgg16(*args)
            elif op == 'version':
                answer = 'OK torch ' + torch.__version__
            else:
                answer = 'ERR unknown command ' + op
        except Exception as e:  # reported in the table, never hides the row
            answer = 'ERR %s: %s' % (type(e).__name__, e)
        print(answer.replace('\n', ' '), flush=True)


if __name__ == '__main__':
    main()
