#!/usr/bin/env python3
"""The lab in a real browser: `bin/pneumo lab` headless on a loopback port, notebook 00 in
Debian's headless Chromium (selenium + chromium-driver).

Runs all cells of notebook 00, then a cell that sets a variable, a cell that sleeps, Kernel >
Interrupt from the menu, and a cell that reads the variable. Passes when no cell of notebook 00
shows an error, at least one image is drawn in the page, the interrupted cell shows an interrupted
error and a prompt number (not In [*]), and the next cell prints the variable. The notebook runs
from a copy under reports/ (inside the checkout, so the kernel finds this checkout's lib; the
committed notebook is never written). Prints one line per step with its time.
"""
import argparse
import json
import os
import pathlib
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

NOTEBOOK = "00-environment.ipynb"
T0 = time.monotonic()


def step(msg):
    print(f"[{time.monotonic() - T0:6.1f} s] {msg}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, predicate, timeout, poll=0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(poll)
    raise TimeoutError(f"{what}: not within {timeout:.0f} s")


def prompts(driver):
    return driver.execute_script(
        "return Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code')"
        ".map(c => c.input_prompt_number === undefined ? null : c.input_prompt_number);")


def run_cell_at_bottom(driver, code):
    """Appends a code cell, runs it, returns its index."""
    return driver.execute_script(
        "var nb = Jupyter.notebook; var cell = nb.insert_cell_at_bottom('code'); cell.set_text(arguments[0]);"
        "var i = nb.find_cell_index(cell); nb.select(i); cell.execute(); return i;", code)


def cell_state(driver, index):
    return driver.execute_script(
        "var c = Jupyter.notebook.get_cell(arguments[0]); return {prompt: c.input_prompt_number === undefined ? null :"
        " c.input_prompt_number, outputs: c.output_area.outputs};", index)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=pathlib.Path, required=True, help="the checkout (with bin/pneumo)")
    ap.add_argument("--timeout", type=float, default=150, help="seconds for notebook 00's cells")
    args = ap.parse_args()
    home = args.home.resolve()
    work = home / "reports" / "browser-test"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copy(home / "notebooks" / NOTEBOOK, work / NOTEBOOK)
    port, token = free_port(), secrets.token_hex(16)
    log = open(work / "lab.log", "w")
    lab = subprocess.Popen([str(home / "bin" / "pneumo"), "lab", f"--notebook-dir={work}", "--no-browser",
                            "--ip=127.0.0.1", f"--port={port}", f"--NotebookApp.token={token}"],
                           stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    driver = None
    failures = []
    try:
        base = f"http://127.0.0.1:{port}"

        def server_up():
            try:
                return urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2).status == 200
            except OSError:
                if lab.poll() is not None:
                    raise RuntimeError(f"bin/pneumo lab exited with {lab.returncode}; see {work / 'lab.log'}")
                return False
        wait_for("Jupyter server", server_up, 180)
        step(f"bin/pneumo lab serves on {base}")

        opts = webdriver.ChromeOptions()
        opts.binary_location = "/usr/bin/chromium"
        for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                  "--window-size=1400,1000"):
            opts.add_argument(a)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
        driver.get(f"{base}/notebooks/{NOTEBOOK}?token={token}")
        wait_for("notebook page", lambda: driver.execute_script(
            "return typeof Jupyter !== 'undefined' && Jupyter.notebook && Jupyter.notebook.kernel"
            " && Jupyter.notebook.kernel.is_connected() && Jupyter.notebook.kernel.info_reply"
            " && Jupyter.notebook.kernel.info_reply.protocol_version;"), 60)
        step("notebook open, kernel connected and answered kernel_info")

        driver.execute_script("Jupyter.notebook.execute_all_cells();")
        n_code = len(prompts(driver))
        wait_for("notebook 00's cells", lambda: all(isinstance(p, int) for p in prompts(driver)), args.timeout)
        step(f"ran all {n_code} code cells of {NOTEBOOK}")
        nb = driver.execute_script("return Jupyter.notebook.toJSON();")
        errors = [(i, o.get("ename"), o.get("evalue")) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
                  for o in c.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            failures.append(f"error outputs in {NOTEBOOK}: {errors}")
        images = driver.execute_script(
            "return Array.from(document.querySelectorAll('.output_png img'))"
            ".filter(i => i.complete && i.naturalWidth > 0).length;")
        if images < 1:
            failures.append("no image drawn in the page")
        step(f"{len(errors)} error outputs, {images} images drawn")

        run_cell_at_bottom(driver, "int kept = 42;")
        sleeper = run_cell_at_bottom(driver, 'System.out.println("sleeping"); Thread.sleep(600_000);')
        wait_for("sleeping cell to run", lambda: any(
            "sleeping" in "".join(o.get("text", "")) for o in cell_state(driver, sleeper)["outputs"]), 60)
        time.sleep(1)
        driver.find_element(By.ID, "kernellink").click()
        driver.find_element(By.ID, "int_kernel").click()
        t_int = time.monotonic()
        wait_for("interrupted cell to end", lambda: isinstance(cell_state(driver, sleeper)["prompt"], int), 30, 0.1)
        step(f"Kernel > Interrupt: the sleeping cell ended after {time.monotonic() - t_int:.2f} s")
        state = cell_state(driver, sleeper)
        marked = [o for o in state["outputs"] if o.get("output_type") == "error"
                  and "Interrupt" in (o.get("ename", "") + " ".join(o.get("traceback", [])))]
        if not marked:
            failures.append(f"interrupted cell not marked: {json.dumps(state['outputs'])[:400]}")
        after = run_cell_at_bottom(driver, "kept + 1")
        wait_for("cell after the interrupt", lambda: isinstance(cell_state(driver, after)["prompt"], int), 30, 0.1)
        text = json.dumps(cell_state(driver, after)["outputs"])
        if "43" not in text:
            failures.append(f"cell after the interrupt did not print 43: {text[:300]}")
        step("the next cell ran and still saw the variable" if "43" in text else "the next cell FAILED")
        driver.execute_script("Jupyter.notebook.scroll_to_bottom();")
        driver.save_screenshot(str(work / "browser.png"))
        driver.execute_script("Jupyter.notebook.kernel.kill();")
    except Exception as e:
        failures.append(f"{type(e).__name__}: {e}")
        if driver is not None:
            try:
                driver.save_screenshot(str(work / "browser-failed.png"))
            except Exception:
                pass
    finally:
        if driver is not None:
            driver.quit()
        try:
            os.killpg(lab.pid, signal.SIGTERM)
            lab.wait(20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
        log.close()
    for f in failures:
        print(f"browser test: FAILED: {f}", flush=True)
    print(f"browser test: {'ok' if not failures else 'FAILED'} in {time.monotonic() - T0:.1f} s "
          f"(screenshot and server log in {work})", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
