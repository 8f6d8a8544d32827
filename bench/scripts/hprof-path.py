#!/usr/bin/env python3
"""Shortest reference path from a GC root to each instance of a class, from an HPROF heap dump:
who keeps a model alive (docs/PERF.md, "The memory's owner"). Standard library only.
Usage: /usr/bin/python3 bench/scripts/hprof-path.py DUMP.hprof CLASS_NAME
  e.g. PNEUMO_JAVA_OPTS="-Dpneumo.bench.liveModels=true -Dpneumo.bench.heapDump=/tmp/bench.hprof" \
         bin/pneumo bench --reps 1 --only "RetinaNet train step @224 \(paper profile\), batch 8"
       /usr/bin/python3 bench/scripts/hprof-path.py /tmp/bench.hprof org.pneumolab.detect.RetinaNet
Reads the whole dump into memory (a 40 MB dump: ~3 s)."""
import struct, sys
from collections import deque

path, target = sys.argv[1], sys.argv[2].replace('.', '/')
data = open(path, 'rb').read()
p = data.index(b'\0') + 1
idsize = struct.unpack_from('>I', data, p)[0]; p += 4 + 8
ID = '>Q' if idsize == 8 else '>I'
def rid(o): return struct.unpack_from(ID, data, o)[0]
SIZES = {2: idsize, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}

strings, class_name = {}, {}
classes = {}          # class id -> (super id, [(field name id, type)], [(static name, type, value)])
inst_class = {}       # object id -> class id (instances and object arrays)
edges = {}            # object id -> list of (label, child id)
roots = []            # (kind, id)
ROOT_KINDS = {0xFF: ('unknown', 0), 0x01: ('JNI global', idsize), 0x02: ('JNI local', 8), 0x03: ('Java frame', 8),
              0x04: ('native stack', 4), 0x05: ('sticky class', 0), 0x06: ('thread block', 4), 0x07: ('monitor', 0),
              0x08: ('thread object', 8)}
instances = []        # (id, class id, offset, length) parsed after all classes are known

end = len(data)
while p < end:
    tag = data[p]; length = struct.unpack_from('>I', data, p + 5)[0]; body = p + 9; p = body + length
    if tag == 0x01:
        strings[rid(body)] = data[body + idsize:body + length].decode('utf-8', 'replace')
    elif tag == 0x02:
        class_name[rid(body + 4)] = rid(body + 8 + idsize)
    elif tag in (0x0C, 0x1C):
        q = body
        while q < body + length:
            st = data[q]; q += 1
            if st in ROOT_KINDS:
                kind, extra = ROOT_KINDS[st]
                roots.append((kind, rid(q))); q += idsize + extra
            elif st == 0x20:
                cid = rid(q); sup = rid(q + 4 + idsize); q += 4 + 7 * idsize + 4
                ncp = struct.unpack_from('>H', data, q)[0]; q += 2
                for _ in range(ncp):
                    t = data[q + 2]; q += 3 + SIZES[t]
                nst = struct.unpack_from('>H', data, q)[0]; q += 2
                statics = []
                for _ in range(nst):
                    n = rid(q); t = data[q + idsize]; q += idsize + 1
                    if t == 2:
                        statics.append((n, rid(q)))
                    q += SIZES[t]
                nf = struct.unpack_from('>H', data, q)[0]; q += 2
                fields = []
                for _ in range(nf):
                    fields.append((rid(q), data[q + idsize])); q += idsize + 1
                classes[cid] = (sup, fields, statics)
            elif st == 0x21:
                oid = rid(q); cid = rid(q + 4 + idsize); n = struct.unpack_from('>I', data, q + 4 + 2 * idsize)[0]
                start = q + 8 + 2 * idsize
                instances.append((oid, cid, start)); inst_class[oid] = cid; q = start + n
            elif st == 0x22:
                oid = rid(q); n = struct.unpack_from('>I', data, q + idsize + 4)[0]; acid = rid(q + idsize + 8)
                start = q + 2 * idsize + 8
                inst_class[oid] = acid
                kids = [rid(start + i * idsize) for i in range(n)]
                edges[oid] = [('[%d]' % i, k) for i, k in enumerate(kids) if k]
                q = start + n * idsize
            elif st == 0x23:
                n = struct.unpack_from('>I', data, q + idsize + 4)[0]; t = data[q + idsize + 8]
                q += idsize + 9 + n * SIZES[t]
            else:
                raise SystemExit('unknown sub-record 0x%x at %d' % (st, q - 1))

def cname(cid):
    return strings.get(class_name.get(cid), '?%x' % cid)

layout = {}
def fields_of(cid):
    if cid not in layout:
        out = []
        c = cid
        while c and c in classes:
            sup, fields, _ = classes[c]
            out.extend(fields); c = sup
        layout[cid] = out
    return layout[cid]

for oid, cid, q in instances:
    kids = []
    for n, t in fields_of(cid):
        if t == 2:
            v = rid(q)
            if v:
                kids.append((strings.get(n, '?'), v))
        q += SIZES[t]
    edges[oid] = kids
for cid, (_, _, statics) in classes.items():
    edges.setdefault(cid, []).extend(('static ' + strings.get(n, '?'), v) for n, v in statics if v)

targets = {o for o, c in inst_class.items() if cname(c) == target}
print('%d instance(s) of %s; %d roots; %d objects' % (len(targets), target, len(roots), len(edges)))
# BFS from the roots (class statics are reached through sticky-class roots)
prev = {}
dq = deque()
for kind, r in roots:
    if r not in prev:
        prev[r] = (None, kind); dq.append(r)
found = []
while dq and len(found) < len(targets):
    o = dq.popleft()
    if o in targets:
        found.append(o)
    for label, k in edges.get(o, ()):
        if k not in prev:
            prev[k] = (o, label); dq.append(k)
for t in found:
    chain = []
    o = t
    while o is not None:
        parent, label = prev[o]
        what = cname(inst_class[o]) if o in inst_class else ('class ' + cname(o) if o in classes else '?')
        chain.append('%s  <-%s-' % (what, label))
        o = parent
    print('\n'.join(reversed(chain)))
    print('---')
