"""Memory of the C# (Tsgb) kernel over a long notebook session: CELLS TSGB explanations on scene-vgg, one per cell,
each cell re-declaring the same variable (as a notebook cell run again and again does), and the kernel's RSS every
EVERY cells after a forced GC.

    /usr/bin/python3 benchmarks/kernel_memory.py [--cells 1000] [--every 100] [--tsgb COMMAND...] [--kernel NAME]

Installs the kernelspec of this build (or of --tsgb COMMAND) into a temporary prefix; prints the machine, the RSS
after the set-up cell ("warm") and after every EVERY explanations, and the growth per 100 cells.
"""
import argparse
import os
import shutil
import subprocess
import time

from jupyter_client.manager import start_new_kernel

from kernel_startup import add_kernel_arguments, install_kernel, machine

SETUP = """var model = DemoModels.SceneVgg();
var image = Scenes.Generate(seed: 3).ToTensor();
var m = model.Explain(image).For("circle").With(Tsgb.Conv.And(Tsgb.Fc));
m.ToString()"""
CELL = 'var m = model.Explain(image).For("circle").With(Tsgb.Conv.And(Tsgb.Fc));'
GC_CELL = "GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();"


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def run(kc, code, timeout=600):
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=lambda msg: None)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{code!r} failed: {reply['content'].get('ename')}: {reply['content'].get('evalue')}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cells", type=int, default=1000)
    ap.add_argument("--every", type=int, default=100)
    add_kernel_arguments(ap)
    a = ap.parse_args()
    name, prefix = install_kernel(a, "tsgb-memory-bench")
    print(f"machine: {machine()}")
    print(f"kernel: {name}; {a.cells} cells `{CELL}`, RSS after a forced GC every {a.every} cells")
    km, kc = start_new_kernel(kernel_name=name, startup_timeout=120, stderr=subprocess.DEVNULL)
    try:
        pid = km.provisioner.process.pid
        run(kc, SETUP)
        run(kc, GC_CELL)
        warm = rss_mb(pid)
        curve = [(0, warm)]
        print(f"  {0:5d} cells: RSS {warm:7.1f} MB (warm)")
        started = time.perf_counter()
        for i in range(1, a.cells + 1):
            run(kc, CELL)
            if i % a.every == 0:
                run(kc, GC_CELL)
                rss = rss_mb(pid)
                curve.append((i, rss))
                print(f"  {i:5d} cells: RSS {rss:7.1f} MB   ({(time.perf_counter() - started) / i * 1000:.0f} ms/cell,"
                      f" load {os.getloadavg()[0]:.2f})", flush=True)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        if prefix:
            shutil.rmtree(prefix, ignore_errors=True)
    half = curve[len(curve) // 2]
    last = curve[-1]
    per100 = (last[1] - half[1]) / max(1, last[0] - half[0]) * 100
    print(f"RSS warm {warm:.0f} MB, after {last[0]} cells {last[1]:.0f} MB; growth over the second half "
          f"{per100:+.1f} MB per 100 cells")
    print(f"after: {machine()}")


if __name__ == "__main__":
    main()
