"""`#r "nuget: Tsgb.Core, VERSION"` in a cell of the INSTALLED kernel restores the package through the NuGet
configuration of the notebook's folder (a NuGet.Config there, as for a project), and the fluent call runs.

    TSGB_PACKAGE_VERSION=… TSGB_PACKAGE_SOURCE=DIR TSGB_REFERENCE_MAP=map.npy NUGET_PACKAGES=DIR \
    JUPYTER_PATH=<prefix>/share/jupyter /usr/bin/python3 -m unittest -v tests/kernel/test_package_restore.py

build/package-tests.sh runs it with a version that exists in TSGB_PACKAGE_SOURCE only, so a restore that succeeds
came from there; TSGB_REFERENCE_MAP is the map `tsgb explain` wrote for the same scene, target and method.
"""
import os
import tempfile
import unittest

import numpy as np
from jupyter_client.manager import start_new_kernel

KERNEL = os.environ.get("TSGB_KERNEL_NAME", "tsgb-csharp")
VERSION = os.environ["TSGB_PACKAGE_VERSION"]
SOURCE = os.environ["TSGB_PACKAGE_SOURCE"]
REFERENCE_MAP = os.environ["TSGB_REFERENCE_MAP"]
PACKAGES = os.environ["NUGET_PACKAGES"]
# The packages Tsgb.Core depends on (TorchSharp, libtorch…) come from the user's cache, not downloaded again.
FALLBACK = os.environ.get("TSGB_NUGET_FALLBACK", os.path.expanduser("~/.nuget/packages"))
TIMEOUT = 600


def nuget_config(folder):
    with open(os.path.join(folder, "NuGet.Config"), "w") as f:
        f.write(f"""<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources><add key="tsgb-local" value="{SOURCE}" /></packageSources>
  <fallbackPackageFolders><add key="user-cache" value="{FALLBACK}" /></fallbackPackageFolders>
</configuration>
""")


def run(folder, code, env=None):
    """Executes code in a fresh kernel started in folder (as Jupyter starts one in the notebook's folder)."""
    km, kc = start_new_kernel(kernel_name=KERNEL, cwd=folder, startup_timeout=180, env=env or dict(os.environ))
    try:
        outputs = []
        reply = kc.execute_interactive(code, timeout=TIMEOUT, output_hook=outputs.append)
        text = "".join(m["content"].get("text", "") for m in outputs if m["msg_type"] == "stream")
        text += "".join(m["content"]["data"].get("text/plain", "") for m in outputs
                        if m["msg_type"] in ("execute_result", "display_data"))
        errors = [m["content"] for m in outputs if m["msg_type"] == "error"]
        return reply["content"], text, errors
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


class PackageRestoreTests(unittest.TestCase):
    def test_restores_from_the_notebook_folder_config_and_runs(self):
        with tempfile.TemporaryDirectory(prefix="tsgb-restore-") as folder:
            nuget_config(folder)
            out = os.path.join(folder, "map.npy")
            code = f"""#r "nuget: Tsgb.Core, {VERSION}"
var model = DemoModels.SceneVgg();
var scene = Scenes.Generate(seed: 3);
var e = model.Explain(scene.ToTensor()).For("circle").With(Tsgb.Conv.And(Tsgb.Fc));
Npy.Write(@"{out}", e.ToTensor());
Console.WriteLine(e);
"""
            reply, text, errors = run(folder, code)
            self.assertEqual(reply["status"], "ok", (reply, errors))
            self.assertIn(f"Installed package Tsgb.Core {VERSION}", text)
            self.assertIn("for 'circle'", text)
            restored = os.path.join(PACKAGES, "tsgb.core", VERSION.lower())
            self.assertTrue(os.path.isdir(restored), f"{restored} missing: the restore did not use {SOURCE}")
            ours, reference = np.load(out), np.load(REFERENCE_MAP)
            self.assertEqual(ours.shape, reference.shape)
            self.assertGreater(np.abs(reference).max(), 0)
            np.testing.assert_allclose(ours, reference, rtol=1e-5, atol=1e-6 * np.abs(reference).max())

    def test_without_a_source_the_error_names_package_and_version(self):
        # No NuGet.Config, and an empty package folder (the other test's restore filled NUGET_PACKAGES): the version
        # exists in no configured source.
        with tempfile.TemporaryDirectory(prefix="tsgb-restore-") as folder:
            env = dict(os.environ, NUGET_PACKAGES=os.path.join(folder, "packages"))
            reply, _, errors = run(folder, f'#r "nuget: Tsgb.Core, {VERSION}"\n1', env)
            self.assertEqual(reply["status"], "error")
            self.assertIn(f"'Tsgb.Core' version '{VERSION}'", reply["evalue"])


if __name__ == "__main__":
    unittest.main()
