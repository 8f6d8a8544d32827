#!/usr/bin/python3
"""gpu-check preflight: can the `cuda` profile serve this machine's GPU? Needs no GPU and no Java.

Reads, from the Maven artifacts the `cuda` profile uses (coordinates from the project's pom.xml):
  - which SASS compute capabilities and PTX versions ND4J's CUDA natives (libnd4jcuda.so in
    nd4j-cuda-<cuda>:<dl4j>:<platform>) carry: the ELF .nv_fatbin section's fatbin headers,
    parsed here; a sample of the embedded cubins is decompressed and its own ELF header checked;
  - which CUDA libraries those natives link dynamically (ELF DT_NEEDED);
  - which CUDA runtime, cuBLAS and cuDNN versions JavaCPP's redistributable brings: the library
    file names from the redist jar's zip directory (HTTP range requests: 16 KB of a 1.8 GB jar)
    and the header constants (CUDART_VERSION, CUDNN_MAJOR/MINOR/PATCHLEVEL, ...) that JavaCPP's
    preset classes were generated from (a 0.7 MB jar);
  - the GPU and driver from nvidia-smi, when there is one;
and prints a verdict: supported, supported through PTX JIT, or not supported, and why.

Downloads go where Maven would put them (the local repository), so a later `cuda` build reuses
them, each written atomically after its SHA-1 is checked against Maven Central's. What the
natives carry is cached as JSON keyed by the jar's SHA-1, so a second run reads nothing big.

Exit status: 0 verdict given (also when there is no GPU), 1 a GPU is present and not supported,
3 the natives could not be read (e.g. no network and no cached copy), 2 bad usage or a file
that is not what it should be.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
import zipfile

CENTRAL = os.environ.get("PNEUMO_MAVEN_CENTRAL", "https://repo.maven.apache.org/maven2")
FATBIN_MAGIC = 0xBA55ED50
KIND_PTX, KIND_ELF = 1, 2
FLAG_COMPRESSED = 0x2000
EM_CUDA = 190
SAMPLE_MAX_BYTES = 256 * 1024
PARSER_VERSION = 2  # part of the cache key: a changed parser reads the natives again
# Linux drivers: the one released with CUDA 11.6, and the oldest CUDA 11 "minor version
# compatibility" driver (runs 11.x runtimes with SASS kernels; it could not JIT newer PTX).
DRIVER_CUDA_11_6 = "510.39.01"
DRIVER_CUDA_11_MINOR_COMPAT = "450.80.02"
# GPU generations a user is likely to have, for docs/GPU.md's table.
GENERATIONS = [("Pascal", ["6.0", "6.1"]), ("Volta", ["7.0"]), ("Turing", ["7.5"]),
               ("Ampere", ["8.0", "8.6"]), ("Ada", ["8.9"]), ("Hopper", ["9.0"]),
               ("Blackwell", ["10.0", "12.0"])]


class PreflightError(Exception):
    """A file that is not what it should be (exit 2)."""


class Unavailable(Exception):
    """Something could not be had: no network, no cached copy (exit 3)."""


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- coordinates from pom.xml

def project_coordinates(pom_path):
    """dl4j version, CUDA artifact suffix and JavaCPP cuda preset version from the parent pom."""
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    try:
        root = ET.parse(pom_path).getroot()
    except (OSError, ET.ParseError) as e:
        raise PreflightError(f"{pom_path}: cannot read the project's pom: {e}")
    props = {el.tag.split("}")[1]: (el.text or "").strip() for el in root.find("m:properties", ns)}
    need = ["dl4j.version", "nd4j.cuda.artifact", "javacpp.cuda.version"]
    missing = [n for n in need if n not in props]
    if missing:
        raise PreflightError(f"{pom_path}: properties {', '.join(missing)} missing")
    return {n: props[n] for n in need}


# ---------------------------------------------------------------- Maven Central access

def m2_repo():
    return os.environ.get("PNEUMO_M2_REPO") or os.path.expanduser("~/.m2/repository")


def artifact_path(group, artifact, version, classifier=None, ext="jar"):
    name = f"{artifact}-{version}" + (f"-{classifier}" if classifier else "") + f".{ext}"
    return "/".join(group.split(".") + [artifact, version, name])


def http_get(url, headers=None, timeout=30):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.read()
    except (urllib.error.URLError, OSError) as e:
        raise Unavailable(f"cannot download {url}: {e}")


def central_sha1(rel):
    text = http_get(f"{CENTRAL}/{rel}.sha1").decode("ascii", "replace").strip()
    m = re.match(r"[0-9a-f]{40}", text)
    if not m:
        raise PreflightError(f"{CENTRAL}/{rel}.sha1: not a SHA-1: {text[:60]!r}")
    return m.group(0)


def sha1_of(path):
    h = hashlib.sha1()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch_jar(rel, purpose):
    """The jar from the local Maven repository, downloaded there first when missing.
    Returns (path, note) where note says what was downloaded, how big, how long."""
    path = os.path.join(m2_repo(), rel)
    if os.path.exists(path):
        return path, f"local Maven repository ({os.path.getsize(path) / 1e6:.1f} MB, no download)"
    want = central_sha1(rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    url = f"{CENTRAL}/{rel}"
    log(f"[gpu-check] downloading {purpose}: {url}")
    t0 = time.time()
    fd, tmp = tempfile.mkstemp(prefix=".gpu-check-", dir=os.path.dirname(path))
    h = hashlib.sha1()
    size = 0
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=60) as r:
            for chunk in iter(lambda: r.read(1 << 22), b""):
                out.write(chunk)
                h.update(chunk)
                size += len(chunk)
        if h.hexdigest() != want:
            raise PreflightError(f"{url}: SHA-1 {h.hexdigest()} differs from Maven Central's {want}")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except (urllib.error.URLError, OSError) as e:
        raise Unavailable(f"cannot download {url}: {e}")
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    dt = time.time() - t0
    return path, f"downloaded {size / 1e6:.1f} MB in {dt:.1f} s ({size / 1e6 / max(dt, 1e-3):.0f} MB/s)"


class RemoteZip:
    """A zip on Maven Central read by HTTP range requests: the directory and chosen small entries."""

    def __init__(self, url):
        self.url = url
        tail = http_get(url, {"Range": "bytes=-65536"})
        i = tail.rfind(b"PK\x05\x06")
        if i < 0:
            raise PreflightError(f"{url}: no zip end-of-directory record in the last 64 KB")
        count, cd_size, cd_off = struct.unpack_from("<HII", tail, i + 10)
        cd = http_get(url, {"Range": f"bytes={cd_off}-{cd_off + cd_size - 1}"})
        self.entries = {}
        p = 0
        for _ in range(count):
            (_sig, _v, _vn, _fl, method, _t, _d, _crc, csize, usize, nlen, elen, clen, _dn, _ia, _ea,
             off) = struct.unpack_from("<IHHHHHHIIIHHHHHII", cd, p)
            name = cd[p + 46:p + 46 + nlen].decode("utf-8", "replace")
            self.entries[name] = (method, csize, usize, off)
            p += 46 + nlen + elen + clen

    def read(self, name):
        import zlib
        method, csize, _usize, off = self.entries[name]
        head = http_get(self.url, {"Range": f"bytes={off}-{off + 29}"})
        nlen, elen = struct.unpack_from("<HH", head, 26)
        start = off + 30 + nlen + elen
        data = http_get(self.url, {"Range": f"bytes={start}-{start + csize - 1}"})
        return zlib.decompress(data, -15) if method == 8 else data


# ---------------------------------------------------------------- ELF and fatbin parsing

def lz4_block(src, size):
    """LZ4 block decompression (the compression nvcc 11 uses for fatbin entries)."""
    out = bytearray()
    i = 0
    n = len(src)
    while i < n and len(out) < size:
        token = src[i]
        i += 1
        lit = token >> 4
        if lit == 15:
            while True:
                b = src[i]
                i += 1
                lit += b
                if b != 255:
                    break
        out += src[i:i + lit]
        i += lit
        if i >= n or len(out) >= size:
            break
        offset = src[i] | (src[i + 1] << 8)
        i += 2
        if offset == 0 or offset > len(out):
            raise PreflightError("LZ4 data with a bad back-reference")
        ml = token & 15
        if ml == 15:
            while True:
                b = src[i]
                i += 1
                ml += b
                if b != 255:
                    break
        ml += 4
        start = len(out) - offset
        if offset >= ml:
            out += out[start:start + ml]
        else:  # overlapping copy: the last `offset` bytes repeat
            out += (out[start:] * (ml // offset + 1))[:ml]
    return bytes(out)


class Extracted:
    """A zip entry decompressed once into a temporary file (deleted on close) and mapped: ELF
    structures are read in any order without decompressing the entry a second time."""

    def __init__(self, zf, name, tmp_dir):
        import mmap
        self.name = name
        self.file = tempfile.TemporaryFile(dir=tmp_dir)
        with zf.open(name) as src:
            shutil.copyfileobj(src, self.file, 1 << 24)
        self.file.flush()
        self.size = self.file.tell()
        if self.size == 0:
            raise PreflightError(f"{name}: empty")
        self.map = mmap.mmap(self.file.fileno(), 0, access=mmap.ACCESS_READ)

    def at(self, offset, n):
        if offset < 0 or offset + n > self.size:
            raise PreflightError(f"{self.name}: a structure at offset {offset} runs past the end ({self.size} bytes)")
        return self.map[offset:offset + n]

    def close(self):
        self.map.close()
        self.file.close()


def parse_natives(jar_path, entry_suffix="libnd4jcuda.so", sample_every=25, tmp_dir=None):
    """SASS/PTX inventory of the CUDA library inside the jar, its DT_NEEDED and a cubin check.
    Needs the library's size (about 0.9 GB) free in tmp_dir for the time of the parse."""
    t0 = time.time()
    with zipfile.ZipFile(jar_path) as zf:
        names = [n for n in zf.namelist() if n.endswith("/" + entry_suffix)]
        if len(names) != 1:
            raise PreflightError(f"{jar_path}: expected one {entry_suffix}, found {len(names)}")
        name = names[0]
        s = Extracted(zf, name, tmp_dir)
        try:
            return parse_elf(jar_path, name, s, sample_every, t0)
        finally:
            s.close()


def parse_elf(jar_path, name, s, sample_every, t0):
    """Section headers, DT_NEEDED and the .nv_fatbin inventory of the extracted library."""
    eh = s.at(0, 64)
    if eh[:4] != b"\x7fELF" or eh[4] != 2 or eh[5] != 1:
        raise PreflightError(f"{jar_path}!{name}: not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", eh, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", eh, 0x3A)
    sh = s.at(shoff, shentsize * shnum)
    sections = []
    for k in range(shnum):
        nm, typ, _fl, _addr, off, size, link = struct.unpack_from("<IIQQQQI", sh, k * shentsize)
        sections.append((nm, typ, off, size, link))
    stroff, strsize = sections[shstrndx][2], sections[shstrndx][3]
    by_name = {}
    shstr = s.at(stroff, strsize)

    def sname(o):
        return shstr[o:shstr.index(b"\0", o)].decode()
    for nm, typ, off, size, link in sections:
        by_name[sname(nm)] = (typ, off, size, link)
    if ".nv_fatbin" not in by_name:
        raise PreflightError(f"{jar_path}!{name}: no .nv_fatbin section: no GPU code at all")
    if ".dynamic" not in by_name:
        raise PreflightError(f"{jar_path}!{name}: no .dynamic section: not a shared library")
    _t, dyn_off, dyn_size, dyn_link = by_name[".dynamic"]
    _t, fat_off, fat_size, _l = by_name[".nv_fatbin"]
    dynstr = s.at(sections[dyn_link][2], sections[dyn_link][3])
    dyn = s.at(dyn_off, dyn_size)
    needed_offsets = []
    for k in range(0, dyn_size - 15, 16):
        tag, val = struct.unpack_from("<qQ", dyn, k)
        if tag == 1:  # DT_NEEDED
            needed_offsets.append(val)
    inventory = {}
    checks = {"sampled": 0, "matched": 0, "mismatches": []}
    fatbins = walk_fatbins(s, fat_off, fat_size, inventory, checks, sample_every)
    needed = [dynstr[o:dynstr.index(b"\0", o)].decode() for o in needed_offsets]
    return {
    "entry": name,
    "fatbin_section_bytes": fat_size,
    "fatbins": fatbins,
    "entries": [{"kind": k[0], "arch": k[1], "version": k[2], "count": v}
                for k, v in sorted(inventory.items(), key=lambda kv: (kv[0][0], kv[0][1]))],
    "needed": needed,
    "cubin_check": checks,
    "parse_seconds": round(time.time() - t0, 1),
    }


def walk_fatbins(s, off, size, inventory, checks, sample_every):
    """Walks the fatbins packed in .nv_fatbin: a 16-byte header (magic, version, header size,
    payload size), then entries with a 64+ byte header each: kind (1 PTX, 2 cubin), header
    size, padded payload size, payload size, version minor/major (the PTX ISA for PTX), the
    architecture (sm_XY as XY), flags (0x2000: LZ4-compressed) and the uncompressed size."""
    pos, end, fatbins = off, off + size, 0
    checked = set()
    while pos + 16 <= end:
        magic, version, hsize, fsize = struct.unpack("<IHHQ", s.at(pos, 16))
        if magic != FATBIN_MAGIC:
            if magic == 0:  # alignment padding between fatbins
                pos += 8
                continue
            raise PreflightError(f"{s.name}: .nv_fatbin+{pos - off:#x}: no fatbin magic ({magic:#x})")
        if version != 1 or hsize < 16:
            raise PreflightError(f"{s.name}: .nv_fatbin+{pos - off:#x}: fatbin version {version}, header {hsize}")
        fatbins += 1
        e, fend = pos + hsize, pos + hsize + fsize
        if hsize > 16:
            s.at(pos + 16, hsize - 16)
        while e < fend:
            h = s.at(e, 64)
            kind, _v, ehsize, padded, payload = struct.unpack_from("<HHIQI", h, 0)
            minor, major, arch = struct.unpack_from("<HHI", h, 24)
            flags, = struct.unpack_from("<Q", h, 40)
            usize, = struct.unpack_from("<Q", h, 56)
            if kind not in (KIND_PTX, KIND_ELF) or ehsize < 64 or not 10 <= arch <= 200:
                raise PreflightError(f"{s.name}: fatbin entry at {e:#x}: kind {kind}, header {ehsize}, arch {arch}")
            if ehsize > 64:
                s.at(e + 64, ehsize - 64)
            data = s.at(e + ehsize, padded)
            key = ("ptx" if kind == KIND_PTX else "sass", arch, f"{major}.{minor}")
            inventory[key] = inventory.get(key, 0) + 1
            # Cross-check a sample: every architecture's first entry, then every n-th fatbin's small
            # ones (the LZ4 decoder is pure Python: a 2 MB cubin takes a quarter of a second).
            if key not in checked or ((fatbins - 1) % sample_every == 0 and usize <= SAMPLE_MAX_BYTES):
                checked.add(key)
                (check_cubin if kind == KIND_ELF else check_ptx)(data[:payload], flags, usize, arch, checks)
            e += ehsize + padded
        pos = fend
    return fatbins


def unpack_payload(data, flags, usize):
    return lz4_block(data, usize) if flags & FLAG_COMPRESSED else data


def check_cubin(data, flags, usize, arch, checks):
    """Independent of the fatbin header: the cubin's own ELF header names its SM (e_flags)."""
    d = unpack_payload(data, flags, usize)
    checks["sampled"] += 1
    ok = (d[:4] == b"\x7fELF" and struct.unpack_from("<H", d, 18)[0] == EM_CUDA
          and (struct.unpack_from("<I", d, 48)[0] & 0xFF) == arch)
    if ok:
        checks["matched"] += 1
    elif len(checks["mismatches"]) < 5:
        checks["mismatches"].append(f"sass sm_{arch}: cubin header says otherwise")


def check_ptx(data, flags, usize, arch, checks):
    """PTX text names its target: `.target sm_XY`."""
    d = unpack_payload(data, flags, usize)
    checks["sampled"] += 1
    m = re.search(rb"\.target\s+sm_(\d+)", d)
    if m and int(m.group(1)) == arch:
        checks["matched"] += 1
    elif len(checks["mismatches"]) < 5:
        checks["mismatches"].append(f"ptx sm_{arch}: .target says {m.group(1) if m else 'nothing'}")


# ---------------------------------------------------------------- JavaCPP redistributable

def class_int_constants(data):
    """static final int fields of a class file: name -> value (ConstantValue attributes)."""
    if data[:4] != b"\xca\xfe\xba\xbe":
        raise PreflightError("not a Java class file")
    n, = struct.unpack_from(">H", data, 8)
    p, k, cp = 10, 1, {}
    while k < n:
        tag = data[p]
        if tag == 1:
            ln, = struct.unpack_from(">H", data, p + 1)
            cp[k] = data[p + 3:p + 3 + ln].decode("utf-8", "replace")
            p += 3 + ln
        elif tag in (3, 4):
            cp[k] = struct.unpack_from(">i", data, p + 1)[0] if tag == 3 else None
            p += 5
        elif tag in (5, 6):
            p += 9
            k += 1
        elif tag in (7, 8, 16, 19, 20):
            p += 3
        elif tag in (9, 10, 11, 12, 17, 18):
            p += 5
        elif tag == 15:
            p += 4
        else:
            raise PreflightError(f"class file: unknown constant-pool tag {tag}")
        k += 1
    p += 6
    ifaces, = struct.unpack_from(">H", data, p)
    p += 2 + 2 * ifaces
    fields, = struct.unpack_from(">H", data, p)
    p += 2
    out = {}
    for _ in range(fields):
        _acc, name_i, _desc, attrs = struct.unpack_from(">HHHH", data, p)
        p += 8
        for _ in range(attrs):
            an, alen = struct.unpack_from(">HI", data, p)
            if cp.get(an) == "ConstantValue" and alen == 2:
                v = cp.get(struct.unpack_from(">H", data, p + 6)[0])
                if isinstance(v, int):
                    out[cp[name_i]] = v
            p += 6 + alen
    return out


def redist_summary(coords, platform):
    """Library files of the redist jar and the header versions JavaCPP's preset was built from."""
    version = coords["javacpp.cuda.version"]
    rel_redist = artifact_path("org.bytedeco", "cuda", version, f"{platform}-redist")
    local = os.path.join(m2_repo(), rel_redist)
    if os.path.exists(local):
        with zipfile.ZipFile(local) as zf:
            files = zf.namelist()
        redist_note = "local Maven repository"
    else:
        rz = RemoteZip(f"{CENTRAL}/{rel_redist}")
        files = list(rz.entries)
        redist_note = "zip directory by HTTP range request, jar not downloaded"
    libs = sorted(os.path.basename(f) for f in files if re.search(r"/lib[^/]+\.so(\.[0-9.]+)?$", f))
    preset, note = fetch_jar(artifact_path("org.bytedeco", "cuda", version), "JavaCPP cuda preset classes")
    consts = {}
    with zipfile.ZipFile(preset) as zf:
        for cls in ("cudart", "cublas", "cudnn", "nccl"):
            entry = f"org/bytedeco/cuda/global/{cls}.class"
            if entry in zf.namelist():
                consts.update(class_int_constants(zf.read(entry)))
    return {"artifact": f"org.bytedeco:cuda:{version}:{platform}-redist", "listing": redist_note,
            "libraries": libs, "preset_jar": note, "constants": {k: consts[k] for k in sorted(consts) if k in (
                "CUDART_VERSION", "CUDA_VERSION", "CUBLAS_VER_MAJOR", "CUBLAS_VER_MINOR", "CUBLAS_VER_PATCH",
                "CUDNN_MAJOR", "CUDNN_MINOR", "CUDNN_PATCHLEVEL", "NCCL_MAJOR", "NCCL_MINOR", "NCCL_PATCH")}}


# ---------------------------------------------------------------- the GPU, the verdict

def gpus():
    """([(name, compute capability 'X.Y' or None, driver)], note): the GPUs nvidia-smi lists; the
    note says why the list is empty. Drivers older than about 510 cannot report compute_cap."""
    smi = shutil.which("nvidia-smi")
    if not smi:
        return [], "nvidia-smi not found"

    def query(fields):
        try:
            r = subprocess.run([smi, "--query-gpu=" + fields, "--format=csv,noheader"],
                               capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as e:
            return None, f"nvidia-smi failed: {e}"
        if r.returncode != 0:
            first = (r.stdout + r.stderr).strip().splitlines()
            return None, "nvidia-smi: " + (first[0] if first else f"exit status {r.returncode}")
        return [[x.strip() for x in line.split(",")] for line in r.stdout.strip().splitlines() if line.strip()], ""

    rows, why = query("name,compute_cap,driver_version")
    if rows is not None:
        out = [(r[0], r[1], r[2]) for r in rows if len(r) == 3]
        return out, "" if out else "nvidia-smi lists no GPU"
    rows, why2 = query("name,driver_version")
    if rows is None:
        return [], why
    out = [(r[0], None, r[1]) for r in rows if len(r) == 2]
    return out, "" if out else "nvidia-smi lists no GPU"


def version_tuple(v):
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


def verdict(cc, natives):
    """(code, text) for compute capability 'X.Y' given the natives' inventory.
    code: 'sass' (exact SASS), 'sass-compatible' (SASS of the same major, lower minor: binary
    compatible), 'ptx' (PTX JIT), 'no'."""
    major, minor = (int(x) for x in cc.split("."))
    arch = 10 * major + minor
    sass = sorted({e["arch"] for e in natives["entries"] if e["kind"] == "sass"})
    ptx = sorted({e["arch"] for e in natives["entries"] if e["kind"] == "ptx"})
    if arch in sass:
        return "sass", f"supported: SASS for sm_{arch}"
    same = [a for a in sass if a // 10 == major and a % 10 < minor]
    if same:
        return "sass-compatible", (f"supported: SASS sm_{max(same)} runs on {cc} "
                                   f"(cubins are binary-compatible within major version {major})")
    jit = [a for a in ptx if a <= arch]
    if jit:
        return "ptx", f"supported through PTX JIT: PTX for sm_{max(jit)}, compiled by the driver at first use"
    newest = f"sm_{max(sass)}" if sass else "none"
    return "no", (f"not supported: no SASS for compute capability {major}.x (newest SASS: {newest}) "
                  f"and no PTX to JIT{' at or below sm_' + str(arch) if ptx else ' (the natives carry no PTX)'}")


def driver_verdict(driver):
    d = version_tuple(driver)
    if d >= version_tuple(DRIVER_CUDA_11_6):
        return True, f"driver {driver} runs CUDA 11.6 runtimes (drivers are backward compatible with older CUDA)"
    if d >= version_tuple(DRIVER_CUDA_11_MINOR_COMPAT):
        return True, (f"driver {driver} is older than 11.6's ({DRIVER_CUDA_11_6}) but runs CUDA 11.x "
                      "through minor-version compatibility (SASS kernels need no newer PTX JIT)")
    return False, (f"driver {driver} is older than {DRIVER_CUDA_11_MINOR_COMPAT}, "
                   "the oldest that runs CUDA 11.x runtimes: update the driver")


# ---------------------------------------------------------------- main

def cache_dir():
    base = os.environ.get("PNEUMO_GPU_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "pneumolab", "gpu-check")
    os.makedirs(base, exist_ok=True)
    return base


def natives_inventory(coords, platform):
    rel = artifact_path("org.nd4j", coords["nd4j.cuda.artifact"], coords["dl4j.version"], platform)
    path, note = fetch_jar(rel, "ND4J CUDA natives (about 600 MB, once)")
    sha1 = sha1_of(path)
    cached = os.path.join(cache_dir(), f"natives-{sha1}-parser{PARSER_VERSION}.json")
    if os.path.exists(cached):
        with open(cached) as f:
            inv = json.load(f)
        inv["source"] = f"{os.path.basename(path)}: {note}; inventory cached by SHA-1 {sha1[:12]}"
        return inv
    inv = parse_natives(path, tmp_dir=cache_dir())
    inv["sha1"] = sha1
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(cached))
    with os.fdopen(fd, "w") as f:
        json.dump(inv, f, indent=1)
    os.chmod(tmp, 0o644)
    os.replace(tmp, cached)
    inv["source"] = f"{os.path.basename(path)}: {note}; parsed in {inv['parse_seconds']} s"
    return inv


def summarize_entries(inv):
    sass = sorted({e["arch"] for e in inv["entries"] if e["kind"] == "sass"})
    ptx = sorted({(e["arch"], e["version"]) for e in inv["entries"] if e["kind"] == "ptx"})
    per = {}
    for e in inv["entries"]:
        per.setdefault(e["kind"], {}).setdefault(e["arch"], 0)
        per[e["kind"]][e["arch"]] += e["count"]
    counts = sorted(set(per.get("sass", {}).values()))
    return sass, ptx, counts


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pom", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pom.xml"))
    ap.add_argument("--platform", default="linux-x86_64")
    ap.add_argument("--table", action="store_true", help="also print the verdict for each GPU generation")
    ap.add_argument("--cc", action="append", default=[], help="verdict for this compute capability (X.Y), "
                    "as if such a GPU were present (no driver check)")
    ap.add_argument("--json", help="write everything found to this file")
    a = ap.parse_args(argv)
    report = {}
    try:
        coords = project_coordinates(a.pom)
        art = f"org.nd4j:{coords['nd4j.cuda.artifact']}:{coords['dl4j.version']}:{a.platform}"
        try:
            inv = natives_inventory(coords, a.platform)
        except Unavailable as e:
            print(f"gpu-check preflight: cannot read the ND4J CUDA natives ({art}): {e}. "
                  "No verdict: run again with network access to Maven Central, or after a `cuda` build.")
            found, why = gpus()
            for name, cc, driver in found:
                print(f"GPU                 {name}, compute capability {cc or 'not reported'}, driver {driver}: "
                      f"{driver_verdict(driver)[1]}")
            if not found:
                print(f"GPU                 none ({why})")
            return 3
        report["natives"] = inv
        sass, ptx, counts = summarize_entries(inv)
        print(f"ND4J CUDA natives   {art}")
        print(f"  read from         {inv['source']}")
        print(f"  GPU code          {inv['fatbins']} fatbins in {inv['entry'].rsplit('/', 1)[-1]} "
              f"(.nv_fatbin {inv['fatbin_section_bytes'] / 1e6:.0f} MB)")
        print(f"  SASS (cubins)     {' '.join('sm_%d' % x for x in sass) or 'none'}"
              f"{'  (each in %d fatbins)' % counts[0] if len(counts) == 1 else ''}")
        print(f"  PTX (JIT-able)    {' '.join('sm_%d (PTX ISA %s)' % p for p in ptx) or 'none'}")
        c = inv["cubin_check"]
        print(f"  cross-check       {c['matched']}/{c['sampled']} sampled cubins decompressed: their own ELF "
              f"header names the same SM{'; MISMATCH: ' + '; '.join(c['mismatches']) if c['mismatches'] else ''}")
        cuda_libs = [n for n in inv["needed"] if re.match(r"lib(cu|nv|nccl)", n)]
        print(f"  links             {' '.join(cuda_libs) or 'no CUDA libraries'} "
              f"(CUDA runtime linked statically: {'no' if any(n.startswith('libcudart') for n in inv['needed']) else 'yes'})")
        if c["mismatches"]:
            return 2
        try:
            red = redist_summary(coords, a.platform)
            report["redist"] = red
            k = red["constants"]
            cudart = k.get("CUDART_VERSION")
            print(f"JavaCPP redist      {red['artifact']} ({red['listing']})")
            ver = []
            if cudart:
                ver.append(f"CUDA runtime {cudart // 1000}.{cudart % 1000 // 10}")
            if "CUBLAS_VER_MAJOR" in k:
                ver.append(f"cuBLAS {k['CUBLAS_VER_MAJOR']}.{k['CUBLAS_VER_MINOR']}.{k.get('CUBLAS_VER_PATCH', '?')}")
            if "CUDNN_MAJOR" in k:
                ver.append(f"cuDNN {k['CUDNN_MAJOR']}.{k['CUDNN_MINOR']}.{k.get('CUDNN_PATCHLEVEL', '?')}")
            if "NCCL_MAJOR" in k:
                ver.append(f"NCCL {k['NCCL_MAJOR']}.{k['NCCL_MINOR']}.{k.get('NCCL_PATCH', '?')}")
            print(f"  versions          {', '.join(ver)} (header constants of the preset classes; {red['preset_jar']})")
            present = set(red["libraries"])
            missing = [n for n in cuda_libs if n not in present]
            core = [x for x in red["libraries"] if re.match(r"lib(cudart|cublas|cusolver|cudnn)\.", x)]
            print(f"  libraries         {len(red['libraries'])} files, among them {' '.join(core)}")
            print(f"  natives' needs    {'all in the redist' if not missing else 'NOT in the redist: ' + ' '.join(missing)}")
        except Unavailable as e:
            print(f"JavaCPP redist      cannot read ({e}); the verdict below does not depend on it")
        found, why = gpus()
        for cc in a.cc:
            print(f"GPU (given)         compute capability {cc}: {verdict(cc, inv)[1]}")
        if a.table:
            print("GPU generations     (from the natives' contents; a driver check needs the real GPU)")
            for gen, ccs in GENERATIONS:
                for cc in ccs:
                    print(f"  {gen:<10} {cc:<5} {verdict(cc, inv)[1]}")
        if not found:
            print(f"GPU                 none ({why})")
            return 0
        rc = 0
        for name, cc, driver in found:
            if cc is None:
                ok_driver, dtext = driver_verdict(driver)
                print(f"GPU                 {name}, compute capability not reported (old nvidia-smi), driver {driver}")
                print(f"  verdict           UNKNOWN: find {name}'s compute capability in --table's list; {dtext}")
                rc = rc or (0 if ok_driver else 1)
                continue
            code, text = verdict(cc, inv)
            ok_driver, dtext = driver_verdict(driver)
            good = code != "no" and ok_driver
            rc = rc or (0 if good else 1)
            print(f"GPU                 {name}, compute capability {cc}, driver {driver}")
            if code != "no" and not ok_driver:
                text = "not supported until the driver is updated (the natives' " + text.split(": ", 1)[1] + ")"
            print(f"  verdict           {text}; {dtext}")
        return rc
    except PreflightError as e:
        print(f"gpu-check preflight: {e}")
        return 2
    finally:
        if a.json and report:
            with open(a.json, "w") as f:
                json.dump(report, f, indent=1)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
