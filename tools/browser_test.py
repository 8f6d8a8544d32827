#!/usr/bin/env python3
"""The lab in a real browser: `bin/pneumo lab` headless on a loopback port, notebooks 00 and 04 in
Debian's headless Chromium (selenium + chromium-driver).

Runs all cells of notebook 00, then a cell that sets a variable, a cell that sleeps, Kernel >
Interrupt from the menu, and a cell that reads the variable. Passes when no cell of notebook 00
shows an error, at least one image is drawn in the page, the interrupted cell shows an interrupted
error and a prompt number (not In [*]), and the next cell prints the variable.

Then interrupt and resume (issue #26) on notebook 04, with a tiny epoch count on the sample: Run
All, Kernel > Interrupt from the menu while the first detector trains its last epoch (Run All then
stops there, as with the Python kernel: every cell below it is left unexecuted, In [ ]), a cell that
reads state, the training cell again (it must say "resumed from epoch 1 of 2" and finish), the
remaining cells, and a last cell that trains the same detector without interruption in a fresh run
folder: the kept weights must be bit-identical (lib's WeightsDigest), and no cell may show an error.

The notebooks run from copies under reports/ (inside the checkout, so the kernel finds this
checkout's lib; the committed notebooks are never written). Prints one line per step with its time.
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
RESUME_NOTEBOOK = "04-detection.ipynb"
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


def outputs_text(outputs):
    """Everything a cell shows, as one string (streams, results, displays, errors)."""
    parts = []
    for o in outputs:
        parts.append("".join(o.get("text", "")) if isinstance(o.get("text"), (str, list)) else "")
        for v in (o.get("data") or {}).values():
            parts.append("".join(v) if isinstance(v, list) else str(v))
        if o.get("output_type") == "error":
            parts.append(f"{o.get('ename')}: {o.get('evalue')}")
    return "\n".join(parts)


def error_outputs(driver):
    nb = driver.execute_script("return Jupyter.notebook.toJSON();")
    return [(i, o.get("ename"), (o.get("evalue") or "")[:200]) for i, c in enumerate(nb["cells"])
            if c["cell_type"] == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]


def interrupt_and_resume(driver, base, token, home, work, args):
    """Issue #26, the user's sequence on notebook 04 (a copy with a tiny epoch count and its own
    seed, so its runs are its own and start from nothing): Run All; Kernel > Interrupt from the
    menu during the first detector's last epoch; a cell reading state; the training cell again,
    which must say "resumed from epoch 1 of N" and finish; the remaining cells; then the kept
    weights of the resumed run must equal those of the same model trained without interruption
    (in a fresh run folder, in the same kernel). Returns the failures."""
    failures = []
    seed = 26
    nb = json.loads((home / "notebooks" / RESUME_NOTEBOOK).read_text())
    params = "".join(nb["cells"][1]["source"])
    changed = (params.replace("long SEED = 2018L;", f"long SEED = {seed}L;")
               .replace(".epochs(PROFILE.pick(20, 25))", f".epochs({args.epochs}).maxStepsPerEpoch({args.max_steps})"))
    if changed.count(f"{seed}L;") != 1 or f".epochs({args.epochs})" not in changed:
        return [f"{RESUME_NOTEBOOK}'s parameter cell changed; the browser test cannot set its knobs"]
    nb["cells"][1]["source"] = changed
    (work / RESUME_NOTEBOOK).write_text(json.dumps(nb, indent=1))
    # The copy's runs (own seed) and the uninterrupted reference start from nothing.
    shutil.rmtree(home / "runs" / f"04-detection-sample-seed{seed}", ignore_errors=True)
    reference = work / "reference-runs"

    driver.get(f"{base}/notebooks/{RESUME_NOTEBOOK}?token={token}")
    wait_for("notebook 04", lambda: driver.execute_script(
        "return typeof Jupyter !== 'undefined' && Jupyter.notebook && Jupyter.notebook.kernel"
        " && Jupyter.notebook.kernel.is_connected() && Jupyter.notebook.kernel.info_reply"
        " && Jupyter.notebook.kernel.info_reply.protocol_version;"), 60)
    train = driver.execute_script(
        "return Jupyter.notebook.get_cells().findIndex(c => c.cell_type === 'code'"
        " && c.get_text().includes('STUDY.run('));")
    n_cells = driver.execute_script("return Jupyter.notebook.ncells();")
    driver.execute_script("Jupyter.notebook.execute_all_cells();")
    t_all = time.monotonic()
    # The first detector's bar says "epoch N, loss ..." from the last epoch's first step on.
    last_epoch = f"epoch {args.epochs}, loss"
    wait_for("training in its last epoch", lambda: last_epoch in outputs_text(cell_state(driver, train)["outputs"]),
             args.timeout * 2, 0.2)
    step(f"{RESUME_NOTEBOOK}: Run All; the first detector is in epoch {args.epochs} after "
         f"{time.monotonic() - t_all:.1f} s")
    driver.find_element(By.ID, "kernellink").click()
    driver.find_element(By.ID, "int_kernel").click()
    t_int = time.monotonic()
    wait_for("interrupted training cell to end", lambda: isinstance(cell_state(driver, train)["prompt"], int), 60, 0.1)
    step(f"Kernel > Interrupt: the training cell ended after {time.monotonic() - t_int:.2f} s")
    state = cell_state(driver, train)
    if "Interrupt" not in outputs_text([o for o in state["outputs"] if o.get("output_type") == "error"]):
        failures.append(f"interrupted training cell not marked: {outputs_text(state['outputs'])[-400:]}")
    # Run All's later cells were queued behind it: the kernel aborts them (stop_on_error, as
    # ipykernel does), so each leaves In [*] for In [ ] without running, and the cells above stay run.
    code_train = driver.execute_script(
        "return Jupyter.notebook.get_cells().slice(0, arguments[0]).filter(c => c.cell_type === 'code').length;", train)
    wait_for("Run All's queued cells to be aborted", lambda: all(p is None for p in prompts(driver)[code_train + 1:]), 60, 0.1)
    ps = prompts(driver)
    step(f"Run All stopped at the interrupted cell: {sum(p is None for p in ps[code_train + 1:])} cells below it "
         f"not executed, {sum(isinstance(p, int) for p in ps[:code_train + 1])} of {code_train + 1} above and it run")
    if not all(isinstance(p, int) for p in ps[:code_train + 1]):
        failures.append(f"cells up to the interrupted one without a prompt number: {ps[:code_train + 1]}")
    if any(o.get("output_type") for i in range(train + 1, n_cells)
           for o in (driver.execute_script("var c = Jupyter.notebook.get_cell(arguments[0]);"
                                           " return c.cell_type === 'code' ? c.output_area.outputs : [];", i) or [])):
        failures.append("a cell below the interrupted one shows output: it ran after the interrupt")

    reader = run_cell_at_bottom(driver, "SPEC.epochs()")
    wait_for("state-reading cell", lambda: isinstance(cell_state(driver, reader)["prompt"], int), 60, 0.1)
    if str(args.epochs) not in outputs_text(cell_state(driver, reader)["outputs"]):
        failures.append(f"SPEC.epochs() after the interrupt: {outputs_text(cell_state(driver, reader)['outputs'])[:300]}")

    before = cell_state(driver, train)["prompt"]
    driver.execute_script("var nb = Jupyter.notebook; nb.select(arguments[0]); nb.get_cell(arguments[0]).execute();",
                          train)
    t_rerun = time.monotonic()
    wait_for("training cell rerun", lambda: isinstance(cell_state(driver, train)["prompt"], int)
             and cell_state(driver, train)["prompt"] != before, args.timeout * 2)
    text = outputs_text(cell_state(driver, train)["outputs"])
    resumed = f"resumed from epoch {args.epochs - 1} of {args.epochs}"
    step(f"training cell again: ended after {time.monotonic() - t_rerun:.1f} s"
         + (f", said '{resumed}'" if resumed in text else ", did NOT say it resumed"))
    if resumed not in text:
        failures.append(f"the rerun training cell did not say '{resumed}': {text[-600:]}")

    # The remaining cells, as a user would run them: everything below the training cell.
    last = n_cells - 1
    driver.execute_script("Jupyter.notebook.execute_cell_range(arguments[0], arguments[1]);", train + 1, last + 1)
    t_rest = time.monotonic()
    wait_for("remaining cells", lambda: all(
        isinstance(p, int) and p > cell_state(driver, train)["prompt"] for p in driver.execute_script(
            "return Jupyter.notebook.get_cells().slice(arguments[0], arguments[1]).filter(c => c.cell_type === 'code')"
            ".map(c => c.input_prompt_number === undefined ? null : c.input_prompt_number);", train + 1, last + 1)),
        args.timeout * 2)
    step(f"the remaining cells ran in {time.monotonic() - t_rest:.1f} s")

    # The same first detector trained without interruption, in a fresh run folder of the same kernel.
    check = run_cell_at_bottom(driver, (
        "var RESUMED = RESULT.outcomes().get(0);\n"
        "var UNINTERRUPTED = DetectionStudy.run(DATA, SPEC, new RunStore(Path.of(\"" + str(reference) + "\")),"
        " List.of(RESUMED.contender())).outcomes().get(0);\n"
        "String A = WeightsDigest.of(RESUMED.detector().graph()), B = WeightsDigest.of(UNINTERRUPTED.detector().graph());\n"
        "System.out.println(\"kept weights (SHA-256): resumed \" + A.substring(0, 16) + \" (\" + RESUMED.keptNote()"
        " + \"), uninterrupted \" + B.substring(0, 16) + \" (\" + UNINTERRUPTED.keptNote() + \"): \""
        " + (A.equals(B) ? \"EQUAL\" : \"DIFFERENT\"));"))
    t_ref = time.monotonic()
    wait_for("uninterrupted reference run", lambda: isinstance(cell_state(driver, check)["prompt"], int), args.timeout * 2)
    text = outputs_text(cell_state(driver, check)["outputs"])
    said = next((line for line in text.splitlines() if "kept weights" in line), text.strip()[-200:])
    step(f"uninterrupted reference trained in {time.monotonic() - t_ref:.1f} s: {said}")
    if ": EQUAL" not in text:
        failures.append(f"resumed weights differ from an uninterrupted run's: {text[-400:]}")
    errors = error_outputs(driver)
    if errors:
        failures.append(f"error outputs in {RESUME_NOTEBOOK} after the rerun: {errors}")
    step(f"{RESUME_NOTEBOOK}: {len(errors)} error outputs at the end")
    driver.execute_script("Jupyter.notebook.scroll_to_bottom();")
    driver.save_screenshot(str(work / "browser-04.png"))
    driver.execute_script("Jupyter.notebook.kernel.kill();")
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=pathlib.Path, required=True, help="the checkout (with bin/pneumo)")
    ap.add_argument("--timeout", type=float, default=150, help="seconds for notebook 00's cells")
    ap.add_argument("--skip-resume", action="store_true", help="only notebook 00 (not the interrupt-and-resume run of 04)")
    ap.add_argument("--epochs", type=int, default=2, help="detector epochs in notebook 04's copy (>= 2)")
    ap.add_argument("--max-steps", type=int, default=8, help="training batches per epoch in notebook 04's copy")
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
        if not args.skip_resume:
            failures += interrupt_and_resume(driver, base, token, home, work, args)
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
