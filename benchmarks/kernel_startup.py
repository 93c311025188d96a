"""Cold start of the C# (Tsgb) kernel as Jupyter starts it: time to kernel_info_reply and to the result of `1+1`.

    /usr/bin/python3 benchmarks/kernel_startup.py [--runs 5] [--tsgb COMMAND...] [--kernel NAME]

Installs the kernelspec of this build (or of --tsgb COMMAND, e.g. an installed tool) into a temporary prefix, then
starts the kernel RUNS times with jupyter_client.start_new_kernel and prints, for each cold start, the seconds from
the launch to kernel_info_reply (start_new_kernel returns after it) and to the execute_result of `1+1`, then the
medians, with the machine, its CPUs and its load. The kernel logs its own start-up milestones on stderr when
TSGB_STARTUP_TIMELINE=1 (`[startup] +MS name`, from the process start); they are printed for the median run.
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

from jupyter_client.manager import start_new_kernel

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


def one_start(kernel_name, timeline_file):
    env = dict(os.environ, TSGB_STARTUP_TIMELINE="1")
    if os.environ.get("TSGB_STARTUP_ASSEMBLIES"):
        env["TSGB_STARTUP_ASSEMBLIES"] = "1"
    with open(timeline_file, "w") as err:
        t0 = time.perf_counter()
        km, kc = start_new_kernel(kernel_name=kernel_name, startup_timeout=120, env=env, stderr=err)
        t_info = time.perf_counter() - t0
        try:
            msg_id = kc.execute("1+1")
            t_result = None
            deadline = time.perf_counter() + 120
            while t_result is None and time.perf_counter() < deadline:
                msg = kc.get_iopub_msg(timeout=120)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "execute_result":
                    t_result = time.perf_counter() - t0
                    assert msg["content"]["data"]["text/plain"] == "2", msg["content"]
                elif msg["msg_type"] == "error":
                    raise RuntimeError(f"1+1 failed: {msg['content']}")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    with open(timeline_file) as f:
        timeline = [l.rstrip() for l in f if l.startswith("[startup]")]
    return t_info, t_result, timeline


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    add_kernel_arguments(ap)
    a = ap.parse_args()
    name, prefix = install_kernel(a, "tsgb-startup-bench")
    print(f"machine: {machine()}")
    print(f"kernel: {name}; {a.runs} cold starts (jupyter_client.start_new_kernel, then execute `1+1`)")
    runs = []
    try:
        for i in range(a.runs):
            with tempfile.NamedTemporaryFile(prefix="tsgb-startup-", suffix=".log", delete=False) as f:
                log = f.name
            try:
                info, result, timeline = one_start(name, log)
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
