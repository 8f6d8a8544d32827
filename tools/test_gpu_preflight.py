#!/usr/bin/python3
"""Unit tests of tools/gpu_preflight.py: the fatbin walker on a synthetic ELF in a jar, the LZ4
decoder, the verdict rules. Run: /usr/bin/python3 tools/test_gpu_preflight.py"""
import os
import struct
import sys
import tempfile
import unittest
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpu_preflight as gp  # noqa: E402


def lz4_literals(data):
    """An LZ4 block holding `data` as one literal run (valid LZ4, no matches)."""
    n = len(data)
    if n < 15:
        return bytes([n << 4]) + data
    rest, ext = n - 15, bytearray()
    while rest >= 255:
        ext.append(255)
        rest -= 255
    ext.append(rest)
    return bytes([0xF0]) + bytes(ext) + data


def cubin(sm):
    """The start of a CUDA ELF: magic, class 64, e_machine EM_CUDA, e_flags naming the SM."""
    h = bytearray(64)
    h[:6] = b"\x7fELF\x02\x01"
    struct.pack_into("<H", h, 18, gp.EM_CUDA)
    struct.pack_into("<I", h, 48, (sm << 16) | 0x500 | sm)
    return bytes(h) + b"\0" * 64


def entry(kind, arch, payload, version=(1, 7), compress=False):
    usize = len(payload)
    body = lz4_literals(payload) if compress else payload
    padded = (len(body) + 7) // 8 * 8
    h = struct.pack("<HHIQI", kind, 0x0101, 64, padded, len(body)) + struct.pack("<I", 0)
    h += struct.pack("<HHI", version[1], version[0], arch) + struct.pack("<II", 0, 0)
    h += struct.pack("<QQQ", 0x11 | (gp.FLAG_COMPRESSED if compress else 0), 0, usize)
    assert len(h) == 64
    return h + body + b"\0" * (padded - len(body))


def fatbin(entries):
    body = b"".join(entries)
    return struct.pack("<IHHQ", gp.FATBIN_MAGIC, 1, 16, len(body)) + body


def elf_with_fatbin(fat, needed):
    """A minimal 64-bit ELF: sections .dynstr, .nv_fatbin, .dynamic, .shstrtab, then headers."""
    dynstr = b"\0" + b"".join(n.encode() + b"\0" for n in needed)
    offs, o = [], 1
    for n in needed:
        offs.append(o)
        o += len(n) + 1
    dynamic = b"".join(struct.pack("<qQ", 1, x) for x in offs) + struct.pack("<qQ", 0, 0)
    names = [b"", b".dynstr", b".nv_fatbin", b".dynamic", b".shstrtab"]
    shstr = b"\0".join(names) + b"\0"
    name_off = [shstr.index(n + b"\0") if n else 0 for n in names]
    blobs = [dynstr, fat, dynamic, shstr]
    data, pos, placed = bytearray(64), 64, []
    for b in blobs:
        pad = (-pos) % 8
        data += b"\0" * pad
        pos += pad
        placed.append((pos, len(b)))
        data += b
        pos += len(b)
    pad = (-pos) % 8
    data += b"\0" * pad
    shoff = pos + pad
    sh = bytearray(64)  # the null section
    types = [3, 1, 6, 3]
    for i, ((off, size), typ) in enumerate(zip(placed, types)):
        link = 1 if typ == 6 else 0
        sh += struct.pack("<IIQQQQIIQQ", name_off[i + 1], typ, 0, 0, off, size, link, 0, 1, 0)
    data += sh
    data[:6] = b"\x7fELF\x02\x01"
    struct.pack_into("<Q", data, 0x28, shoff)
    struct.pack_into("<HHH", data, 0x3A, 64, 5, 4)
    return bytes(data)


class FatbinTest(unittest.TestCase):
    def jar(self, elf):
        d = tempfile.mkdtemp()
        path = os.path.join(d, "natives.jar")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
            z.writestr("org/nd4j/linalg/jcublas/bindings/linux-x86_64/libnd4jcuda.so", elf)
        return path

    def test_walks_every_fatbin_and_cross_checks_the_cubins(self):
        ptx = b".version 7.6\n.target sm_80\n.address_size 64\n"
        fat1 = fatbin([entry(2, 61, cubin(61), compress=True), entry(2, 86, cubin(86), compress=True),
                       entry(1, 80, ptx, version=(7, 6))])
        fat2 = fatbin([entry(2, 61, cubin(61)), entry(2, 86, cubin(86), compress=True)])
        elf = elf_with_fatbin(fat1 + b"\0" * 8 + fat2, ["libcublas.so.11", "libc.so.6"])
        inv = gp.parse_natives(self.jar(elf), sample_every=1)
        self.assertEqual(inv["fatbins"], 2)
        self.assertEqual(inv["needed"], ["libcublas.so.11", "libc.so.6"])
        got = {(e["kind"], e["arch"], e["version"]): e["count"] for e in inv["entries"]}
        self.assertEqual(got, {("sass", 61, "1.7"): 2, ("sass", 86, "1.7"): 2, ("ptx", 80, "7.6"): 1})
        self.assertEqual(inv["cubin_check"]["sampled"], 5)
        self.assertEqual(inv["cubin_check"]["matched"], 5)
        self.assertEqual(gp.verdict("8.9", inv)[0], "sass-compatible")
        self.assertEqual(gp.verdict("9.0", inv)[0], "ptx")
        self.assertEqual(gp.verdict("7.5", inv)[0], "no")  # PTX for sm_80 cannot JIT for an older GPU
        self.assertEqual(gp.verdict("6.0", inv)[0], "no")

    def test_a_cubin_whose_header_names_another_sm_is_reported(self):
        elf = elf_with_fatbin(fatbin([entry(2, 70, cubin(75), compress=True)]), [])
        inv = gp.parse_natives(self.jar(elf), sample_every=1)
        self.assertEqual(inv["cubin_check"]["matched"], 0)
        self.assertEqual(len(inv["cubin_check"]["mismatches"]), 1)

    def test_garbage_in_the_fatbin_section_is_an_error_not_a_verdict(self):
        elf = elf_with_fatbin(b"\x01\x02\x03\x04" * 8, [])
        with self.assertRaises(gp.PreflightError):
            gp.parse_natives(self.jar(elf))


class Lz4Test(unittest.TestCase):
    def test_overlapping_match_repeats_the_last_bytes(self):
        # literal "ab", then a match of offset 2, length 4+3=7 -> "ab" + "abababa", then literal "Z"
        block = bytes([0x23]) + b"ab" + struct.pack("<H", 2) + bytes([0x10]) + b"Z"
        self.assertEqual(gp.lz4_block(block, 10), b"ababababaZ")

    def test_a_back_reference_before_the_start_is_an_error(self):
        with self.assertRaises(gp.PreflightError):
            gp.lz4_block(bytes([0x10]) + b"a" + struct.pack("<H", 5) + bytes([0x00]), 10)


class VerdictTest(unittest.TestCase):
    INV = {"entries": [{"kind": "sass", "arch": a, "version": "1.7", "count": 1} for a in (60, 61, 70, 75, 80, 86)]}

    def test_generations(self):
        self.assertTrue(gp.verdict("8.6", self.INV)[1].startswith("supported: SASS for sm_86"))
        self.assertEqual(gp.verdict("8.9", self.INV)[0], "sass-compatible")
        code, text = gp.verdict("9.0", self.INV)
        self.assertEqual(code, "no")
        self.assertIn("no PTX", text)
        self.assertEqual(gp.verdict("5.2", self.INV)[0], "no")

    def test_drivers(self):
        self.assertTrue(gp.driver_verdict("580.65.06")[0])
        self.assertTrue(gp.driver_verdict("470.57.02")[0])
        self.assertIn("minor-version", gp.driver_verdict("470.57.02")[1])
        self.assertFalse(gp.driver_verdict("440.33.01")[0])


if __name__ == "__main__":
    unittest.main(verbosity=1)
