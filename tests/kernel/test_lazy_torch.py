"""libtorch is loaded on first use, not at kernel start: a notebook that never touches TorchSharp or Tsgb does not pay
for it (issue 11, start-up). Checked in the kernel process's own /proc/self/maps.

    JUPYTER_PATH=<prefix>/share/jupyter /usr/bin/python3 -m unittest -v tests/kernel/test_lazy_torch.py

The kernelspec name comes from TSGB_KERNEL_NAME (default tsgb-csharp); build/kernel-tests.sh installs one first.
"""
import os
import unittest

from jupyter_client.manager import start_new_kernel

KERNEL = os.environ.get("TSGB_KERNEL_NAME", "tsgb-csharp")
TIMEOUT = 180
MAPPED = 'System.IO.File.ReadAllText("/proc/self/maps").Contains("libtorch_cpu")'


class LazyTorchTests(unittest.TestCase):
    def setUp(self):
        self.km, self.kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=TIMEOUT)

    def tearDown(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def value(self, code):
        results, errors = [], []

        def hook(msg):
            if msg["msg_type"] == "execute_result":
                results.append(msg["content"]["data"]["text/plain"])
            elif msg["msg_type"] == "error":
                errors.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")

        reply = self.kc.execute_interactive(code, timeout=TIMEOUT, output_hook=hook)
        self.assertEqual(reply["content"]["status"], "ok", errors)
        return results[-1] if results else None

    def test_plain_cells_do_not_load_libtorch_and_torchsharp_loads_it(self):
        self.assertEqual(self.value("1+1"), "2")
        self.assertEqual(self.value("var xs = new List<int> { 1, 2, 3 }; xs.Sum()"), "6")
        self.assertEqual(self.value(MAPPED), "False", "libtorch was loaded before any cell used TorchSharp")
        # TorchSharp alone (the default `using static TorchSharp.torch`), without any Tsgb type
        self.assertEqual(self.value("ones(2, 3).sum().item<float>()"), "6")
        self.assertEqual(self.value(MAPPED), "True")

    def test_a_tsgb_cell_loads_libtorch(self):
        self.assertEqual(self.value(MAPPED), "False")
        self.assertEqual(self.value('Scenes.Generate(seed: 3).Width > 0'), "True")
        self.assertEqual(self.value(MAPPED), "True")


if __name__ == "__main__":
    unittest.main()
