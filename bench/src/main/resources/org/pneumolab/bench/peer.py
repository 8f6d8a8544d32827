"""The peer side of `pneumo bench`: PyTorch (CPU) and Pillow, driven line by line by the Java
harness so that both sides are measured in the same run, interleaved.

Protocol: one command per line on stdin, one answer per line on stdout:
  threads N
  forward MODEL SIZE BATCH LAYOUT ITERS     MODEL: vgg16 | resnet50, LAYOUT: nchw | channels_last
  train_vgg16 SIZE BATCH ITERS              block5 + small head trainable, the rest frozen
  decode DIR SIZE THREADS MODE              MODE: pillow | pillow_draft; every *.jpg in DIR
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


def model(name, size, layout):
    key = (name, size, layout)
    if key not in _models:
        torch.manual_seed(0)
        m = Vgg16(size) if name == 'vgg16' else resnet50()
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


def main():
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        try:
            op, args = parts[0], parts[1:]
            if op == 'decode':
                answer = 'OK %.6g' % decode(*args)
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
