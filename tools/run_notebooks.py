#!/usr/bin/env python3
"""Execute the lab's notebooks headless with the installed Java kernel.

Writes each executed notebook to OUT/NAME.ipynb and OUT/NAME.html. With --test it is the
notebook test: any cell error fails (naming notebook and cell), a notebook whose metadata
does not say {"pneumolab": {"draws": false}} must produce at least one image/png output, and
a closing line 'N passed, N failed' is printed.
"""
import argparse
import atexit
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError


def count_png(nb):
    return sum(1 for cell in nb.cells if cell.cell_type == "code"
               for out in cell.get("outputs", [])
               if "image/png" in out.get("data", {}))


def failing_cell(nb):
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return index, cell
    return None, None


def write_html(nb, path):
    try:
        from nbconvert import HTMLExporter
        body, _ = HTMLExporter().from_notebook_node(nb)
        path.write_text(body, encoding="utf-8")
        return True
    except Exception as e:  # an HTML failure must not hide the notebook's own result
        print(f"  (HTML export failed: {e})", flush=True)
        return False


# Messages of a kernel that never came up. rapaio-jupyter-kernel 3.0.1 had start-up races (its
# LoopThread, and handlers registered after the sockets were bound); lib ships fixed classes that
# come first on the kernel's class path, and tools/kernel_check.py proves the starts. This retry is
# a safety net that should never fire: a kernel that has not answered in 90 s (a healthy one
# answers in seconds) or that died while starting is retried with a fresh one, and says so.
STARTUP_FAILURES = ("Kernel didn't respond", "Kernel died before replying")
STARTUP_ATTEMPTS = 4


def run_one(path, kernel, out_dir, timeout):
    for attempt in range(1, STARTUP_ATTEMPTS + 1):
        nb, seconds, error = run_once(path, kernel, out_dir, timeout)
        started = any(c.get("outputs") or c.get("execution_count") for c in nb.cells if c.cell_type == "code")
        if error is None or started or not any(s in error for s in STARTUP_FAILURES):
            return nb, seconds, error
        kept = out_dir / f"{path.stem}.kernel-failed-{attempt}.log"
        (out_dir / (path.stem + ".kernel.log")).replace(kept)
        print(f"  kernel did not start (attempt {attempt} of {STARTUP_ATTEMPTS}): {error.splitlines()[0]}; "
              f"its log: {kept}", flush=True)
    return nb, seconds, error


def run_once(path, kernel, out_dir, timeout):
    nb = nbformat.read(path, as_version=4)
    # startup_timeout: a healthy kernel answers in about 5 s (up to a minute on a very busy machine).
    client = NotebookClient(nb, kernel_name=kernel, timeout=timeout, allow_errors=False, startup_timeout=90,
                            resources={"metadata": {"path": str(path.parent)}})
    t0 = time.monotonic()
    error = None
    out_dir.mkdir(parents=True, exist_ok=True)
    # The kernel JVM's own output (class-path lines, native warnings) goes to a log beside the
    # report; its tail is shown when the notebook fails.
    log_path = out_dir / (path.stem + ".kernel.log")
    log = open(log_path, "w", encoding="utf-8")
    try:
        client.execute(stdout=log, stderr=log)
    except (CellExecutionError, CellTimeoutError) as e:
        index, cell = failing_cell(nb)
        where = f"cell {index}" if index is not None else "a cell"
        first_line = (cell.source.strip().splitlines() or [""])[0][:80] if cell is not None else ""
        error = f"{where} ({first_line!r}): {str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__}"
        if isinstance(e, CellTimeoutError):
            error = f"{where} timed out after {timeout} s"
    except Exception as e:  # kernel died, could not start, ...
        error = f"{type(e).__name__}: {e}"
    finally:
        log.close()
        # nbclient registers an atexit clean-up per client and drops it only when the kernel
        # started; after a failed start it would run at exit on a client without a kernel
        # manager (AssertionError in _async_cleanup_kernel) and print a traceback after a run
        # that went well.
        atexit.unregister(client._cleanup_kernel)
    seconds = time.monotonic() - t0
    if error is not None:
        tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-25:]
        if tail:
            error += "\n  kernel log (" + str(log_path) + "), last lines:\n    " + "\n    ".join(tail)
    nbformat.write(nb, out_dir / path.name)
    write_html(nb, out_dir / (path.stem + ".html"))
    return nb, seconds, error


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--notebooks", required=True, type=pathlib.Path)
    ap.add_argument("--out", required=True, type=pathlib.Path)
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    ap.add_argument("--test", action="store_true", help="notebook test: checks and a summary line")
    ap.add_argument("names", nargs="*", help="notebook names or prefixes (default: all)")
    args = ap.parse_args()

    paths = sorted(p for p in args.notebooks.glob("*.ipynb") if not p.name.startswith("."))
    if args.names:
        paths = [p for p in paths if any(p.name.startswith(n) or p.stem == n for n in args.names)]
        if not paths:
            print(f"no notebook matches {args.names}", file=sys.stderr)
            return 2
    passed, failed = 0, 0
    for path in paths:
        print(f"notebook {path.name}: running", flush=True)
        nb, seconds, error = run_one(path, args.kernel, args.out, args.timeout)
        draws = nb.metadata.get("pneumolab", {}).get("draws", True)
        pngs = count_png(nb)
        if error is None and args.test and draws and pngs == 0:
            error = "produced no image/png output"
        if error is None:
            passed += 1
            print(f"notebook {path.name}: ok in {seconds:.1f} s, {pngs} PNG outputs -> "
                  f"{args.out / (path.stem + '.html')}", flush=True)
        else:
            failed += 1
            print(f"notebook {path.name}: FAILED in {seconds:.1f} s: {error}", flush=True)
    print(f"notebooks: {passed} passed, {failed} failed")
    if args.test:
        (args.out / ".notebook-summary").write_text(f"{passed} {failed}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
