"""Writes Keras application weight files with random values in their real layouts, and an
independent numpy forward pass of the same network from the same file (the reference).

usage: keras_files.py KIND OUT_DIR SIZE
       keras_files.py mutate SRC DST drop|reshape LAYER
  KIND: vgg16-k1 (Keras 1 layout of the VGG16 notop file), vgg16-k2 (Keras 2 layout),
        resnet50 (Keras 2.2.4+ names, eps 1.001e-5), resnet50-legacy (conv1/bn_conv1/res2a_*, eps 1e-3),
        inception_v3 (Keras 2 layout, written from Keras's InceptionV3 definition)
Writes OUT_DIR/<file>.h5, OUT_DIR/x.f32 (input, NCHW float32, already in the network's input
space for ResNet50; 0..255 RGB pixels for VGG16), and OUT_DIR/<feature>.f32 (NCHW float32) for
each feature layer, with OUT_DIR/shapes.txt listing name and shape. The reference reads the
weights back from the .h5 file it wrote (h5py), by each group's weight_names, and computes in
float64.
"""
import sys
import numpy as np
import h5py
from numpy.lib.stride_tricks import sliding_window_view

if sys.argv[1] == 'mutate':
    # mutate SRC DST drop|reshape LAYER: a copy without LAYER, or with LAYER's first weight reshaped wrong
    import shutil
    _, _, src, dst, op, layer = sys.argv
    shutil.copyfile(src, dst)
    with h5py.File(dst, 'r+') as f:
        if op == 'drop':
            f.attrs['layer_names'] = np.array([n for n in f.attrs['layer_names'] if n.decode() != layer])
            del f[layer]
        else:
            name = f[layer].attrs['weight_names'][0].decode()
            v = np.asarray(f[layer][name])
            del f[layer][name]
            f[layer].create_dataset(name, data=v[..., : v.shape[-1] // 2])
    sys.exit(0)

kind, out, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = np.random.default_rng(24)


def write(path, layers, keras1):
    """layers: list of (layer name, [(weight short name, array)]) in order."""
    with h5py.File(path, 'w') as f:
        f.attrs['layer_names'] = np.array([n.encode() for n, _ in layers])
        if not keras1:
            f.attrs['keras_version'] = b'2.2.4'
            f.attrs['backend'] = b'tensorflow'
        for name, ws in layers:
            g = f.create_group(name)
            full = [(name + '_' + w + ':0') if keras1 else (name + '/' + w + ':0') for w, _ in ws]
            g.attrs['weight_names'] = np.array([n.encode() for n in full]) if ws else np.array([])
            for n, (_, v) in zip(full, ws):
                g.create_dataset(n, data=v.astype('f4'))


def read(path):
    with h5py.File(path, 'r') as f:
        return {n.decode(): [np.asarray(f[n.decode()][w.decode()], 'f8') for w in f[n.decode()].attrs['weight_names']]
                for n in f.attrs['layer_names']}


def conv(x, k, b, stride=1, pad='same'):
    kh, kw = k.shape[:2]
    if pad == 'same':
        x = np.pad(x, ((0, 0), (kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)))
    elif isinstance(pad, int):
        x = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    win = sliding_window_view(x, (kh, kw), axis=(1, 2))[:, ::stride, ::stride]  # n, oh, ow, c, kh, kw
    return np.einsum('nhwcij,ijco->nhwo', win, k, optimize=True) + b


def maxpool(x, k, s, pad=0):
    if pad:
        x = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)), constant_values=-np.inf)
    win = sliding_window_view(x, (k, k), axis=(1, 2))[:, ::s, ::s]
    return win.max(axis=(4, 5))


def bn(x, w, eps):
    gamma, beta, mean, var = w
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def he(kh, kw, cin, cout):
    return rng.normal(0, np.sqrt(2.0 / (kh * kw * cin)), (kh, kw, cin, cout))


def bn_weights(c, gain=1.0):
    return [('gamma', rng.uniform(0.5, 1.0, c) * gain), ('beta', rng.normal(0, 0.1, c)),
            ('moving_mean', rng.normal(0, 0.1, c)), ('moving_variance', rng.uniform(0.5, 1.5, c))]


features = {}
if kind.startswith('vgg16'):
    keras1 = kind == 'vgg16-k1'
    cfg = [(1, 2, 64), (2, 2, 128), (3, 3, 256), (4, 3, 512), (5, 3, 512)]
    layers, cin = [], 3
    for blk, n, c in cfg:
        for i in range(1, n + 1):
            ws = [('W_1' if keras1 else 'kernel', he(3, 3, cin, c)), ('b_1' if keras1 else 'bias', rng.normal(0, 0.1, c))]
            layers.append(('block%d_conv%d' % (blk, i), ws))
            cin = c
        layers.append(('block%d_pool' % blk, []))
    if not keras1:
        layers.insert(0, ('input_1', []))
    path = out + '/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5'
    write(path, layers, keras1)
    w = read(path)
    pixels = rng.uniform(0, 255, (2, size, size, 3))                        # RGB, NHWC
    x = pixels[..., ::-1] - np.array([103.939, 116.779, 123.68])            # Keras caffe: BGR, means
    for blk, n, c in cfg:
        for i in range(1, n + 1):
            k, b = w['block%d_conv%d' % (blk, i)]
            x = np.maximum(conv(x, k, b), 0)
        x = maxpool(x, 2, 2)
        if blk in (3, 5):
            features['block%d_pool' % blk] = x
    inp = pixels
elif kind.startswith('resnet50'):
    legacy = kind == 'resnet50-legacy'
    eps = 1e-3 if legacy else 1.001e-5
    layers = [('input_1', [])] if not legacy else []
    def add_conv(name, k, cin, cout):
        layers.append((name, [('W' if legacy else 'kernel', he(k, k, cin, cout)), ('b' if legacy else 'bias', rng.normal(0, 0.1, cout))]))
    def add_bn(name, c, gain=1.0):
        ws = bn_weights(c, gain)
        if legacy:  # Keras 1's names for the same four weights, in the same order
            ws = [(n2, v) for n2, (_, v) in zip(['gamma', 'beta', 'running_mean', 'running_std'], ws)]
        layers.append((name, ws))
    names = {}
    add_conv('conv1' if legacy else 'conv1_conv', 7, 3, 64)
    add_bn('bn_conv1' if legacy else 'conv1_bn', 64)
    cin = 64
    plan = []
    for s, (nb, width) in enumerate([(3, 64), (4, 128), (6, 256), (3, 512)]):
        stage = s + 2
        for b in range(nb):
            ident = '%d%s' % (stage, 'abcdef'[b])
            nm = {}
            for j, part in enumerate('abc'):
                nm['conv' + part] = 'res%s_branch2%s' % (ident, part) if legacy else 'conv%d_block%d_%d_conv' % (stage, b + 1, j + 1)
                nm['bn' + part] = 'bn%s_branch2%s' % (ident, part) if legacy else 'conv%d_block%d_%d_bn' % (stage, b + 1, j + 1)
            if b == 0:
                nm['conv0'] = 'res%s_branch1' % ident if legacy else 'conv%d_block%d_0_conv' % (stage, b + 1)
                nm['bn0'] = 'bn%s_branch1' % ident if legacy else 'conv%d_block%d_0_bn' % (stage, b + 1)
                add_conv(nm['conv0'], 1, cin, 4 * width)
                add_bn(nm['bn0'], 4 * width)
            add_conv(nm['conva'], 1, cin, width); add_bn(nm['bna'], width)
            add_conv(nm['convb'], 3, width, width); add_bn(nm['bnb'], width)
            add_conv(nm['convc'], 1, width, 4 * width); add_bn(nm['bnc'], 4 * width, 0.3)
            plan.append((stage, b, nm, 1 if stage == 2 or b > 0 else 2))
            cin = 4 * width
    path = out + '/resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5'
    write(path, layers, legacy)
    w = read(path)
    x = rng.normal(0, 50, (2, size, size, 3))          # an input in caffe space (BGR, means subtracted)
    inp = x
    y = conv(x, *w['conv1' if legacy else 'conv1_conv'], stride=2, pad=3)
    y = np.maximum(bn(y, w['bn_conv1' if legacy else 'conv1_bn'], eps), 0)
    y = maxpool(y, 3, 2, pad=1)
    for stage, b, nm, stride in plan:
        if b == 0:
            sc = bn(conv(y, *w[nm['conv0']], stride=stride, pad='valid'), w[nm['bn0']], eps)
        else:
            sc = y
        z = np.maximum(bn(conv(y, *w[nm['conva']], stride=stride, pad='valid'), w[nm['bna']], eps), 0)
        z = np.maximum(bn(conv(z, *w[nm['convb']]), w[nm['bnb']], eps), 0)
        z = bn(conv(z, *w[nm['convc']], pad='valid'), w[nm['bnc']], eps)
        y = np.maximum(z + sc, 0)
        last = {3: 4, 4: 6, 5: 3}.get(stage)
        if last is not None and b == last - 1:
            features['c%d' % stage] = y
elif kind == 'inception_v3':
    # Keras's InceptionV3 (keras_applications/inception_v3.py), layer for layer: conv2d_bn is a
    # Conv2D without bias (conv2d_N), BatchNormalization(scale=False, eps 1e-3)
    # (batch_normalization_N: beta, moving_mean, moving_variance), ReLU; N counts calls, as Keras
    # names layers in a fresh session. The file is written from this definition (not from our
    # graph), then read back for the forward pass.
    layers, n = [], [0]
    def cbn_make(cin, f, r, c):
        n[0] += 1
        layers.append(('conv2d_%d' % n[0], [('kernel', he(r, c, cin, f))]))
        layers.append(('batch_normalization_%d' % n[0], [('beta', rng.normal(0, 0.1, f)),
                       ('moving_mean', rng.normal(0, 0.1, f)), ('moving_variance', rng.uniform(0.5, 1.5, f))]))
    w, use = None, [0]
    def cbn(x, f, r, c, stride=1, pad='same'):
        if w is None:
            cbn_make(x, f, r, c)          # first pass: x is the input channel count
            return f
        use[0] += 1
        k = w['conv2d_%d' % use[0]][0]
        beta, mean, var = w['batch_normalization_%d' % use[0]]
        y = conv(x, k, 0.0, stride, pad)
        return np.maximum((y - mean) / np.sqrt(var + 1e-3) + beta, 0)
    def maxp(x):
        return x if w is None else maxpool(x, 3, 2)
    def avgp(x):
        if w is None:
            return x
        ones = np.ones(x.shape[:3] + (1,))
        pad = ((0, 0), (1, 1), (1, 1), (0, 0))
        s = sliding_window_view(np.pad(x, pad), (3, 3), axis=(1, 2)).sum(axis=(4, 5))
        cnt = sliding_window_view(np.pad(ones, pad), (3, 3), axis=(1, 2)).sum(axis=(4, 5))
        return s / cnt                     # TF 'same' average: real pixels only
    def cat(*xs):
        return sum(xs) if w is None else np.concatenate(xs, axis=3)
    def net(x):
        x = cbn(x, 32, 3, 3, 2, 'valid'); x = cbn(x, 32, 3, 3, 1, 'valid'); x = cbn(x, 64, 3, 3)
        x = maxp(x)
        x = cbn(x, 80, 1, 1, 1, 'valid'); x = cbn(x, 192, 3, 3, 1, 'valid')
        x = maxp(x); feats = {'max_pooling2d_2': x}
        for pf in (32, 64, 64):
            b1 = cbn(x, 64, 1, 1)
            b5 = cbn(cbn(x, 48, 1, 1), 64, 5, 5)
            b3 = cbn(cbn(cbn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
            bp = cbn(avgp(x), pf, 1, 1)
            x = cat(b1, b5, b3, bp)
        b3 = cbn(x, 384, 3, 3, 2, 'valid')
        bd = cbn(cbn(cbn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 2, 'valid')
        x = cat(b3, bd, maxp(x))
        for mid in (128, 160, 160, 192):
            b1 = cbn(x, 192, 1, 1)
            b7 = cbn(cbn(cbn(x, mid, 1, 1), mid, 1, 7), 192, 7, 1)
            bd = cbn(cbn(cbn(cbn(cbn(x, mid, 1, 1), mid, 7, 1), mid, 1, 7), mid, 7, 1), 192, 1, 7)
            bp = cbn(avgp(x), 192, 1, 1)
            x = cat(b1, b7, bd, bp)
        b3 = cbn(cbn(x, 192, 1, 1), 320, 3, 3, 2, 'valid')
        b7 = cbn(cbn(cbn(cbn(x, 192, 1, 1), 192, 1, 7), 192, 7, 1), 192, 3, 3, 2, 'valid')
        x = cat(b3, b7, maxp(x))
        for _ in range(2):
            b1 = cbn(x, 320, 1, 1)
            b3 = cbn(x, 384, 1, 1)
            b3 = cat(cbn(b3, 384, 1, 3), cbn(b3, 384, 3, 1))
            bd = cbn(cbn(x, 448, 1, 1), 384, 3, 3)
            bd = cat(cbn(bd, 384, 1, 3), cbn(bd, 384, 3, 1))
            bp = cbn(avgp(x), 192, 1, 1)
            x = cat(b1, b3, bd, bp)
        feats['mixed10'] = x
        return feats
    net(3)                                  # defines the layers (channel counts only)
    path = out + '/inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5'
    write(path, [('input_1', [])] + layers, False)
    w = read(path)
    pixels = rng.uniform(0, 255, (2, size, size, 3))
    features = net(pixels / 127.5 - 1.0)    # Keras "tf" preprocessing
    inp = pixels
else:
    sys.exit('unknown kind ' + kind)

with open(out + '/shapes.txt', 'w') as s:
    for name, arr in [('x', inp)] + list(features.items()):
        nchw = np.ascontiguousarray(arr.transpose(0, 3, 1, 2)).astype('<f4')
        nchw.tofile(out + '/' + name + '.f32')
        s.write(name + ' ' + ' '.join(str(d) for d in nchw.shape) + '\n')
