#!/usr/bin/env python3
"""Git clean filter for the lab's notebooks: what is committed has no outputs and no per-machine
metadata, so opening or running a notebook never marks it modified.

Reads a notebook on stdin and writes it on stdout with outputs and execution counts removed, cell
metadata that Jupyter adds while working (execution times, collapsed/scrolled state) dropped, and
the notebook's metadata kept to the kernelspec, the language's name/mimetype/extension and the
lab's own "pneumolab" settings. Written as Jupyter writes (one-space indent, keys in the order read,
trailing newline). Input that is not a notebook passes through unchanged.

bin/pneumo installs it (git config filter.pneumo-notebook.clean; .gitattributes names the files).
"""
import json
import sys

CELL_METADATA_DROPPED = {"execution", "collapsed", "scrolled", "ExecuteTime", "jupyter"}
LANGUAGE_INFO_KEPT = {"name", "mimetype", "file_extension"}
NOTEBOOK_METADATA_KEPT = {"kernelspec", "language_info", "pneumolab"}


def clean(nb):
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        meta = cell.get("metadata", {})
        for key in CELL_METADATA_DROPPED & meta.keys():
            del meta[key]
    meta = nb.get("metadata", {})
    for key in set(meta) - NOTEBOOK_METADATA_KEPT:
        del meta[key]
    info = meta.get("language_info")
    if isinstance(info, dict):
        for key in set(info) - LANGUAGE_INFO_KEPT:
            del info[key]
    return nb


def main():
    raw = sys.stdin.buffer.read()
    try:
        nb = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        sys.stdout.buffer.write(raw)
        return 0
    if not isinstance(nb, dict) or "cells" not in nb:
        sys.stdout.buffer.write(raw)
        return 0
    # Keys keep their order: Jupyter writes them sorted, and a notebook written otherwise stays as
    # it is (sorting it here would show it modified right after a checkout).
    text = json.dumps(clean(nb), indent=1, ensure_ascii=False) + "\n"
    sys.stdout.buffer.write(text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
