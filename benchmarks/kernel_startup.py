"""Cold start of the C# (Tsgb) kernel as Jupyter starts it: time to kernel_info_reply and to the result of `1+1`.

    /usr/bin/python3 benchmarks/kernel_startup.py [--runs 5] [--tsgb COMMAND...] [--kernel NAME] [--client direct|start_new_kernel]

Installs the kernelspec of this build (or of --tsgb COMMAND, e.g. an installed tool) into a temporary prefix, then
starts the kernel RUNS times and prints, for each cold start, the seconds from the launch to the kernel_info_reply and
to the execute_result of `1+1`, then the medians, with the machine, its CPUs and its load.
By default the script starts the kernel with KernelManager, sends kernel_info until the reply arrives (that arrival
is the first number) and an iopub message shows iopub is connected, then executes `1+1` at once, as a frontend can.
--client start_new_kernel uses jupyter_client's helper instead, which returns only after 0.2 s of iopub silence too:
its first number holds that client-side pause (0.2-0.4 s), and the `1+1` after it starts later.
The kernel logs its own start-up milestones on stderr when TSGB_STARTUP_TIMELINE=1 (`[startup] +MS name`, from the
process start); they are printed for the median run.
--kernel NAME uses an installed kernelspec instead (e.g. python3, for comparison).
"""
import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from queue import Empty

from jupyter_client.manager import KernelManager, start_new_kernel

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{platform.node()} {platform.machine()} {os.cpu_count()} CPUs ({cpu}), load {load}"


def add_kernel_arguments(ap):
    ap.add_argument("--tsgb", nargs="+", help="the tsgb command whose kernel to install (default: this build)")
    ap.add_argument("--kernel", help="an installed kernelspec to start instead")
    ap.add_argument("--configuration", default="Release")


def install_kernel(a, name):
    """The kernelspec to start: --kernel as it is, else this build's (or --tsgb's) installed into a temporary
    prefix that JUPYTER_PATH then names. Returns (kernel name, prefix to remove afterwards or None)."""
    if a.kernel:
        return a.kernel, None
    tsgb = a.tsgb or ["dotnet", os.path.join(ROOT, f"src/Tsgb.Interactive/bin/{a.configuration}/net10.0/tsgb.dll")]
    prefix = tempfile.mkdtemp(prefix="tsgb-bench-prefix-")
    subprocess.run(tsgb + ["kernel", "install", "--prefix", prefix, "--name", name, "--allow-temporary"],
                   check=True, stdout=subprocess.DEVNULL)
    os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter") + (
        os.pathsep + os.environ["JUPYTER_PATH"] if os.environ.get("JUPYTER_PATH") else "")
    return name, prefix


def first_result(kc, msg_id, t0, deadline):
    """Seconds from t0 to the execute_result of msg_id (which must be 2)."""
    while time.perf_counter() < deadline:
        msg = kc.get_iopub_msg(timeout=max(0.01, deadline - time.perf_counter()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "execute_result":
            assert msg["content"]["data"]["text/plain"] == "2", msg["content"]
            return time.perf_counter() - t0
        if msg["msg_type"] == "error":
            raise RuntimeError(f"1+1 failed: {msg['content']}")
    raise RuntimeError("no result of 1+1 within the time limit")


def ready(kc, t0, deadline):
    """What a frontend waits for before its first execute: the kernel_info_reply on shell and a message on iopub (so
    iopub is connected and the result cannot be lost). Returns the seconds from t0 to the first reply's arrival, then
    to the iopub message (if iopub missed the first request's status, as ZeroMQ's late joiners do, that is a second
    request later). Unlike jupyter_client's wait_for_ready, it does not then wait for 0.2 s of iopub silence: that
    pause is the client's, and it would be counted as the kernel's."""
    requests, t_reply = set(), None
    while time.perf_counter() < deadline:
        requests.add(kc.kernel_info())
        try:
            reply = kc.get_shell_msg(timeout=1)
        except Empty:
            continue
        if reply["msg_type"] != "kernel_info_reply" or reply["parent_header"].get("msg_id") not in requests:
            continue
        t_reply = t_reply if t_reply is not None else time.perf_counter() - t0  # the first reply is the kernel's answer
        try:
            kc.get_iopub_msg(timeout=0.2)  # busy/idle of that request; none means iopub is not connected yet: ask again
        except Empty:
            continue
        return t_reply, time.perf_counter() - t0
    raise RuntimeError("no kernel_info_reply within the time limit")


def one_start(kernel_name, timeline_file, client):
    env = dict(os.environ, TSGB_STARTUP_TIMELINE="1")
    if os.environ.get("TSGB_STARTUP_ASSEMBLIES"):
        env["TSGB_STARTUP_ASSEMBLIES"] = "1"
    with open(timeline_file, "w") as err:
        t0 = time.perf_counter()
        deadline = t0 + 120
        if client == "start_new_kernel":
            # jupyter_client's own helper: returns after the reply, an iopub message and 0.2 s of iopub silence
            km, kc = start_new_kernel(kernel_name=kernel_name, startup_timeout=120, env=env, stderr=err)
            t_info = time.perf_counter() - t0
        else:
            km = KernelManager(kernel_name=kernel_name)
            km.start_kernel(env=env, stderr=err)
            kc = km.client()
            kc.start_channels()
            t_info, _ = ready(kc, t0, deadline)
        try:
            t_result = first_result(kc, kc.execute("1+1"), t0, deadline)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    with open(timeline_file) as f:
        timeline = [l.rstrip() for l in f if l.startswith("[startup]")]
    return t_info, t_result, timeline


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--client", choices=["direct", "start_new_kernel"], default="direct",
                    help="direct (default): time the kernel_info_reply's arrival, execute as soon as iopub is connected; "
                         "start_new_kernel: jupyter_client's helper, which also waits for 0.2 s of iopub silence")
    add_kernel_arguments(ap)
    a = ap.parse_args()
    name, prefix = install_kernel(a, "tsgb-startup-bench")
    print(f"machine: {machine()}")
    how = ("jupyter_client.start_new_kernel" if a.client == "start_new_kernel"
           else "KernelManager.start_kernel, kernel_info until its reply and an iopub message")
    print(f"kernel: {name}; {a.runs} cold starts ({how}, then execute `1+1`)")
    runs = []
    try:
        for i in range(a.runs):
            with tempfile.NamedTemporaryFile(prefix="tsgb-startup-", suffix=".log", delete=False) as f:
                log = f.name
            try:
                info, result, timeline = one_start(name, log, a.client)
            finally:
                os.unlink(log)
            runs.append((info, result, timeline))
            print(f"  run {i + 1}: kernel_info_reply {info:.2f} s, `1+1` result {result:.2f} s   (load {os.getloadavg()[0]:.2f})")
    finally:
        if prefix:
            shutil.rmtree(prefix, ignore_errors=True)
    infos = [r[0] for r in runs]
    results = [r[1] for r in runs]
    print(f"median: kernel_info_reply {statistics.median(infos):.2f} s, `1+1` result {statistics.median(results):.2f} s "
          f"(min {min(results):.2f}, max {max(results):.2f}); goal ≤ 0.5 s and ≤ 1.5 s")
    median_run = sorted(runs, key=lambda r: r[1])[len(runs) // 2]
    if median_run[2]:
        print("kernel timeline of the median run (ms since the process started):")
        for line in median_run[2]:
            print("  " + line)
    print(f"after: {machine()}")


if __name__ == "__main__":
    main()
