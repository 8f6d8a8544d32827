"""Oracle for the DICOM reader tests: what pydicom makes of each file.

usage: pydicom_oracle.py OUT_DIR FILE...

For every FILE writes OUT_DIR/<index>.properties (Java properties, ASCII with \\u escapes) and,
when pydicom decodes the pixels, OUT_DIR/<index>.f64: the first frame as little-endian float64,
after the modality LUT for grayscale and converted to RGB for YBR colour (our reader delivers
colour as RGB), in row, column, sample order.
"""
import sys
import warnings

warnings.simplefilter("ignore")

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut, convert_color_space


def prop_escape(s):
    out = []
    for ch in str(s):
        if ch in "\\=:#!":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif 32 <= ord(ch) < 127:
            out.append(ch)
        else:
            units = ch.encode("utf-16-be").hex()
            out.extend("\\u" + units[i:i + 4] for i in range(0, len(units), 4))
    return "".join(out)


def first_frame(ds):
    arr = ds.pixel_array
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    if frames > 1:
        arr = arr[0]
    photometric = str(ds.get("PhotometricInterpretation", ""))
    samples = int(ds.get("SamplesPerPixel", 1))
    if samples == 1:
        arr = apply_modality_lut(arr, ds)
    elif photometric.startswith("YBR_FULL"):
        arr = convert_color_space(arr, "YBR_FULL", "RGB")
    return np.asarray(arr, dtype="<f8")


def describe(path, out_dir, index):
    props = {"file": path}
    try:
        ds = pydicom.dcmread(path, force=True)
    except Exception as e:  # any failure means pydicom cannot read the file
        props["read"] = "false"
        props["readError"] = f"{type(e).__name__}: {e}"[:300]
        return props
    props["read"] = "true"
    meta = getattr(ds, "file_meta", None)
    ts = meta.get("TransferSyntaxUID") if meta is not None else None
    if ts:
        props["TransferSyntaxUID"] = str(ts)
    for keyword in ("Rows", "Columns", "PhotometricInterpretation", "PatientID", "PatientName", "SamplesPerPixel"):
        try:
            value = ds.get(keyword)
        except Exception:
            continue
        if value is not None and str(value) != "":
            props[keyword] = str(value)
    if "PixelData" not in ds:
        props["decoded"] = "false"
        props["decodeError"] = "no Pixel Data"
        return props
    try:
        arr = first_frame(ds)
    except Exception as e:
        props["decoded"] = "false"
        props["decodeError"] = f"{type(e).__name__}: {e}"[:300]
        return props
    props["decoded"] = "true"
    props["shape"] = "x".join(str(d) for d in arr.shape)
    arr.tofile(f"{out_dir}/{index}.f64")
    return props


def main():
    out_dir, files = sys.argv[1], sys.argv[2:]
    for i, path in enumerate(files):
        props = describe(path, out_dir, i)
        with open(f"{out_dir}/{i}.properties", "w", encoding="ascii") as f:
            for k, v in props.items():
                f.write(f"{k}={prop_escape(v)}\n")


if __name__ == "__main__":
    main()
