#!/usr/bin/env python3
"""Proof that the lab's Java kernel starts every time and survives Kernel > Interrupt.

Starts: the kernel is launched N times the way the notebook server launches it (jupyter_client's
KernelManager, working directory = the notebooks folder) and a kernel_info_request is sent the
moment it is launched. A start counts as slow when the reply takes more than --slow seconds (10),
and as failed when there is none within 60 s or the kernel dies.

Interrupts: one kernel runs M long cells in turn (a sleep, a training loop reporting to lib's
TrainingMonitor, a featurize pass of lib's Featurizer, and a plain busy loop that never checks for
interrupts) and each is interrupted once it runs. An interrupt is broken unless the cell ends
within 60 s with an interrupted error, a variable defined before is still there, and the next cell
runs (for the training loop: the interrupted model trains again under lib's TrainingMonitor, 10 more
steps), and after it a lib loop (a progress bar over steps that wait and write through a FileChannel)
runs to its end: an interrupt ends exactly the cell it was sent to (issue #26).

Run All: the cells of a notebook sent at once, as Jupyter's Run All sends them (stop_on_error true),
once with the first cell interrupted and once with it throwing. As with the Python kernel, the cells
queued behind it must be answered "aborted" without running (no execute_input, their side effect
absent), and a cell sent afterwards runs.

Prints the figures and exits 1 when any start failed or was slow, any interrupt broke or a Run All
ran a cell behind the failed one.
"""
import argparse
import json
import pathlib
import statistics
import sys
import time

from jupyter_client.manager import KernelManager

FAIL_AFTER = 60.0

SETUP = {
    "train": """
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.*;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
var net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
        .layer(new DenseLayer.Builder().nIn(256).nOut(256).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(256).nOut(2)
               .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build()).build());
net.init();
var ds = new DataSet(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 512, 256),
                     Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 512, 2).putScalar(0, 0, 1));
""",
    "featurize": """
var featurizer = org.pneumolab.classify.Featurizer.bottleneck(org.pneumolab.classify.Backbones.vgg16(32, 1));
""",
}

CELLS = {
    "sleep": ('System.out.println("started"); Thread.sleep(120_000);', None),
    "train": ("""
System.out.println("started");
try (var monitor = org.pneumolab.notebook.TrainingMonitor.start("interrupt check", 10_000, 100)) {
    for (int e = 0; e < 10_000; e++) {
        for (int s = 0; s < 100; s++) { net.fit(ds); monitor.step(net.score()); }
        monitor.endEpoch(java.util.Map.of("train_loss", net.score()));
    }
}
""", """
long before = net.getIterationCount();
try (var monitor = org.pneumolab.notebook.TrainingMonitor.start("interrupt check, again", 2, 5)) {
    for (int e = 0; e < 2; e++) {
        for (int s = 0; s < 5; s++) { net.fit(ds); monitor.step(net.score()); }
        monitor.endEpoch(java.util.Map.of("train_loss", net.score()));
    }
}
net.getIterationCount() - before
"""),
    "featurize": ("""
System.out.println("started");
Iterable<DataSet> batches = () -> java.util.stream.Stream.generate(() -> new DataSet(
        Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 16, 3, 32, 32).muli(255),
        Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 16, 2))).limit(1_000_000).iterator();
featurizer.extract(new org.deeplearning4j.datasets.iterator.ExistingDataSetIterator(batches), 16_000_000, "interrupt check");
""", "featurizer.activations(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 32, 32)).size(0)"),
    "busy": ('System.out.println("started"); long spin = 0; while (spin >= 0) { spin = (spin + 1) % 1_000_000_007L; }', None),
}
EXPECTED_NEXT = {"train": "10", "featurize": "2"}
# After every interrupt, whatever it stopped: a lib loop that must run to its end (issue #26: the
# rerun of an interrupted training cell ended at once, interrupted again). Each step waits and
# writes a file through a FileChannel, which an interrupt left behind would break.
LIB_LOOP_AGAIN = ("""
int steps = 0;
var scratch = java.nio.file.Files.createTempFile("kernel-check", ".bin");
try (var bar = org.pneumolab.notebook.ProgressBar.start("lib loop after the interrupt", 40)) {
    for (int i = 0; i < 40; i++) {
        Thread.sleep(5);
        try (var ch = java.nio.channels.FileChannel.open(scratch, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) i}));
        }
        bar.step();
        steps++;
    }
} finally {
    java.nio.file.Files.deleteIfExists(scratch);
}
"lib loop steps: " + steps
""", "lib loop steps: 40")


def wait_reply(kc, msg_id, channel, timeout):
    """The reply to msg_id on shell or control, or None after timeout seconds."""
    deadline = time.monotonic() + timeout
    get = kc.get_shell_msg if channel == "shell" else kc.get_control_msg
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        try:
            msg = get(timeout=min(left, 1.0))
        except Exception:  # queue.Empty
            continue
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def iopub_until_idle(kc, msg_id, timeout, on_msg=None):
    """Collects msg_id's iopub messages until its idle status; returns them (None on timeout)."""
    deadline = time.monotonic() + timeout
    out = []
    while time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=0.5)
        except Exception:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        out.append(msg)
        if on_msg:
            on_msg(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return out
    return None


def run_cell(kc, code, timeout=FAIL_AFTER):
    """Executes code; returns (reply or None, iopub messages, text of results and streams)."""
    msg_id = kc.execute(code)
    reply = wait_reply(kc, msg_id, "shell", timeout)
    msgs = iopub_until_idle(kc, msg_id, 10) or []
    # The kernel sends results as text/html (rapaio's renderer), streams as text.
    text = "".join(m["content"].get("text", "") if m["msg_type"] == "stream"
                   else next(iter(m["content"].get("data", {}).values()), "")
                   for m in msgs if m["msg_type"] in ("stream", "execute_result"))
    return reply, msgs, text


def start_kernel(kernel, cwd):
    km = KernelManager(kernel_name=kernel)
    t0 = time.monotonic()
    km.start_kernel(cwd=str(cwd))
    kc = km.client()
    kc.start_channels()
    msg_id = kc.kernel_info()  # the moment it is launched, as the notebook server does
    reply = None
    deadline = t0 + FAIL_AFTER
    while reply is None and time.monotonic() < deadline and km.is_alive():
        reply = wait_reply(kc, msg_id, "shell", 1.0)
    return km, kc, (time.monotonic() - t0) if reply is not None else None


def stop_kernel(km, kc):
    try:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    except Exception as e:
        print(f"  shutdown: {type(e).__name__}: {e}", flush=True)
        km.shutdown_kernel(now=True)


def check_starts(kernel, cwd, n, slow_after):
    times, failed, slow = [], 0, 0
    for i in range(1, n + 1):
        km, kc, seconds = start_kernel(kernel, cwd)
        if seconds is None:
            failed += 1
            print(f"start {i}/{n}: FAILED (no kernel_info reply in {FAIL_AFTER:.0f} s, alive={km.is_alive()})", flush=True)
        else:
            times.append(seconds)
            if seconds > slow_after:
                slow += 1
            print(f"start {i}/{n}: kernel_info reply in {seconds:.2f} s{' (SLOW)' if seconds > slow_after else ''}",
                  flush=True)
        stop_kernel(km, kc)
    return {"n": n, "failed": failed, "slow": slow,
            "median_s": round(statistics.median(times), 2) if times else None,
            "max_s": round(max(times), 2) if times else None}


def check_interrupts(kernel, cwd, m, kinds):
    km, kc, seconds = start_kernel(kernel, cwd)
    if seconds is None:
        stop_kernel(km, kc)
        return {"n": m, "broken": m, "note": "kernel did not start"}
    results = []
    try:
        reply, _, _ = run_cell(kc, "int kept = 42;")
        for kind in sorted(set(kinds)):
            if kind in SETUP:
                reply, msgs, _ = run_cell(kc, SETUP[kind], timeout=300)
                if reply is None or reply["content"]["status"] != "ok":
                    print(f"setup of {kind} failed: {reply and reply['content']}", flush=True)
        for i in range(m):
            kind = kinds[i % len(kinds)]
            code, next_code = CELLS[kind]
            results.append(interrupt_once(km, kc, kind, code, next_code, i + 1, m))
    finally:
        stop_kernel(km, kc)
    broken = sum(1 for r in results if not r["ok"])
    by_kind = {}
    for r in results:
        if r["seconds"] is not None:
            by_kind.setdefault(r["kind"], []).append(r["seconds"])
    return {"n": m, "broken": broken,
            "time_to_interrupt_s": {k: {"median": round(statistics.median(v), 2), "max": round(max(v), 2)}
                                    for k, v in sorted(by_kind.items())}}


def interrupt_once(km, kc, kind, code, next_code, i, m):
    msg_id = kc.execute(code)
    started = time.monotonic()
    seen = {"started": False}
    # Wait until the cell prints "started" (its code runs), then give it a moment inside its loop.
    deadline = started + 120
    while not seen["started"] and time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=0.5)
        except Exception:
            continue
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream" \
                and "started" in msg["content"].get("text", ""):
            seen["started"] = True
    time.sleep(1.5)
    t0 = time.monotonic()
    km.interrupt_kernel()
    reply = wait_reply(kc, msg_id, "shell", FAIL_AFTER)
    seconds = time.monotonic() - t0 if reply is not None else None
    msgs = iopub_until_idle(kc, msg_id, 10) or []
    errors = [mm["content"] for mm in msgs if mm["msg_type"] == "error"]
    interrupted = reply is not None and reply["content"]["status"] == "error" and any(
        "Interrupt" in e.get("ename", "") + " ".join(e.get("traceback", [])) for e in errors)
    r2, _, text = run_cell(kc, "kept + 1")
    kept = r2 is not None and r2["content"]["status"] == "ok" and "43" in text
    goes_on = True
    if next_code:
        r3, _, text3 = run_cell(kc, next_code, timeout=120)
        goes_on = r3 is not None and r3["content"]["status"] == "ok" and EXPECTED_NEXT[kind] in text3
    r4, msgs4, text4 = run_cell(kc, LIB_LOOP_AGAIN[0], timeout=60)
    loop_ran = r4 is not None and r4["content"]["status"] == "ok" and LIB_LOOP_AGAIN[1] in text4
    if not loop_ran:
        print("  lib loop after the interrupt: " + "; ".join(
            f"{mm['content'].get('ename')}: {mm['content'].get('evalue')}" for mm in msgs4 if mm["msg_type"] == "error")[:500]
            + f" (output: {text4[-200:]!r})", flush=True)
    ok = seen["started"] and interrupted and kept and goes_on and loop_ran
    if not ok:
        print(f"  cell started={seen['started']}; its errors: "
              + "; ".join(f"{e.get('ename')}: {e.get('evalue')}" for e in errors)[:500], flush=True)
    print(f"interrupt {i}/{m} ({kind}): " + (f"cell ended {seconds:.2f} s after the interrupt" if seconds is not None
                                             else f"no reply in {FAIL_AFTER:.0f} s")
          + f"; marked interrupted={interrupted}, variable kept={kept}, next cell ran={goes_on}"
          + f", a lib loop ran to its end={loop_ran}"
          + ("" if ok else "  BROKEN"), flush=True)
    return {"kind": kind, "ok": ok, "seconds": seconds}


# The cells behind the failed one: each would count itself, so the count shows whether any ran.
RUN_ALL_FIRST = {
    "interrupted": 'System.out.println("started"); Thread.sleep(120_000);',
    # works a moment first, so the cells behind it are surely queued when it fails
    "exception": 'System.out.println("started"); Thread.sleep(500); if (true) throw new IllegalStateException("stop here");',
}
RUN_ALL_LATER = 3


def check_run_all(kernel, cwd, rounds):
    km, kc, seconds = start_kernel(kernel, cwd)
    if seconds is None:
        stop_kernel(km, kc)
        return {"n": rounds * len(RUN_ALL_FIRST), "broken": rounds * len(RUN_ALL_FIRST), "note": "kernel did not start"}
    broken = n = 0
    try:
        run_cell(kc, "int ranAfter = 0;")
        for _ in range(rounds):
            for case, first in RUN_ALL_FIRST.items():
                n += 1
                ok = run_all_once(km, kc, case, first)
                broken += 0 if ok else 1
    finally:
        stop_kernel(km, kc)
    return {"n": n, "broken": broken}


def run_all_once(km, kc, case, first):
    ids = [kc.execute(first)] + [kc.execute("ranAfter++;") for _ in range(RUN_ALL_LATER)]
    started = False
    deadline = time.monotonic() + 120
    while not started and time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=0.5)
        except Exception:
            continue
        started = msg["parent_header"].get("msg_id") == ids[0] and msg["msg_type"] == "stream" \
            and "started" in msg["content"].get("text", "")
    if case == "interrupted":
        time.sleep(1.0)
        km.interrupt_kernel()
    # replies come in order, so waiting for each in turn drops none of the later ones
    statuses = []
    for i in ids:
        reply = wait_reply(kc, i, "shell", FAIL_AFTER)
        statuses.append(reply["content"]["status"] if reply else None)
    executed = []
    for i in ids[1:]:
        msgs = iopub_until_idle(kc, i, 10) or []
        executed.append(any(m["msg_type"] == "execute_input" for m in msgs))
    reply, _, text = run_cell(kc, '"ranAfter=" + ranAfter')
    count_ok = reply is not None and reply["content"]["status"] == "ok" and "ranAfter=0" in text
    ok = started and statuses == ["error"] + ["aborted"] * RUN_ALL_LATER and not any(executed) and count_ok
    print(f"run all ({case} first cell): replies {statuses}; later cells executed {executed}; "
          f"{text.strip()[-40:]!r} after it, and that cell ran={reply is not None and reply['content']['status'] == 'ok'}"
          + ("" if ok else "  BROKEN"), flush=True)
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel", default="pneumonia-java")
    ap.add_argument("--cwd", type=pathlib.Path, required=True, help="the kernel's working directory (notebooks/)")
    ap.add_argument("--starts", type=int, default=100)
    ap.add_argument("--interrupts", type=int, default=20)
    ap.add_argument("--kinds", default="sleep,train,featurize,busy")
    ap.add_argument("--run-all", type=int, default=1,
                    help="rounds of the Run All check (an interrupted and a throwing first cell each); 0 skips it")
    ap.add_argument("--slow", type=float, default=10.0, help="seconds after which a start counts as slow")
    ap.add_argument("--json", type=pathlib.Path, help="write the figures here as JSON")
    args = ap.parse_args()
    t0 = time.monotonic()
    starts = check_starts(args.kernel, args.cwd, args.starts, args.slow) if args.starts > 0 else None
    interrupts = check_interrupts(args.kernel, args.cwd, args.interrupts, args.kinds.split(",")) \
        if args.interrupts > 0 else None
    run_all = check_run_all(args.kernel, args.cwd, args.run_all) if args.run_all > 0 else None
    figures = {"starts": starts, "interrupts": interrupts, "run_all": run_all, "seconds": round(time.monotonic() - t0, 1)}
    if starts:
        print(f"starts: {starts['n']}, failed {starts['failed']}, slow (> {args.slow:.0f} s) {starts['slow']}, "
              f"kernel_info reply median {starts['median_s']} s, max {starts['max_s']} s")
    if interrupts:
        print(f"interrupts: {interrupts['n']}, broken {interrupts['broken']}, time to interrupt "
              + json.dumps(interrupts.get("time_to_interrupt_s")))
    if run_all:
        print(f"run all: {run_all['n']}, broken {run_all['broken']} (a cell behind a failed or interrupted one ran)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
    bad = (starts and (starts["failed"] or starts["slow"])) or (interrupts and interrupts["broken"]) \
        or (run_all and run_all["broken"])
    print("kernel check: " + ("FAILED" if bad else "ok") + f" in {figures['seconds']} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
