"""jupyter_kernel_test conformance of the INSTALLED C# (Tsgb) kernel, plus the behaviour Jupyter users rely on
(interrupts, stdin, SIGINT, the #!tsgb magic, images).

    JUPYTER_PATH=<prefix>/share/jupyter /usr/bin/python3 -m unittest -v tests/kernel/test_tsgb_kernel.py

The kernelspec name comes from TSGB_KERNEL_NAME (default tsgb-csharp); build/kernel-tests.sh installs one first.
"""
import os
import signal
import time
import unittest

import jupyter_kernel_test
from jupyter_kernel_test.msgspec_v5 import validate_message

TIMEOUT = 15
WARM_UP_TIMEOUT = 180  # the first cell waits for TorchSharp and Roslyn to load


class TsgbKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("TSGB_KERNEL_NAME", "tsgb-csharp")
    language_name = "csharp"
    file_extension = ".cs"

    code_hello_world = 'Console.WriteLine("hello, world");'
    code_stderr = 'Console.Error.WriteLine("to stderr");'
    completion_samples = [
        {"text": 'var s = "x"; s.Len', "matches": {"Length"}},
        {"text": "Console.WriteLi", "matches": {"WriteLine"}},
    ]
    complete_code_samples = ["var x = 1;", "int F() => 1;", "#!tsgb --help"]
    incomplete_code_samples = ["if (true) {", "class A {", 'Console.WriteLine("a"']
    invalid_code_samples = ["}}", "var x = ;"]
    code_generate_error = 'throw new Exception("boom");'
    code_execute_result = [{"code": "6*7", "result": "42"}, {"code": '"tsgb".Length', "result": "4"}]
    code_display_data = [
        {"code": 'display(new HtmlText("<b>hi</b>"));', "mime": "text/html"},
        {"code": 'display("plain text");', "mime": "text/plain"},
    ]
    code_history_pattern = "6*7"  # matches one sample only (unique → 1 entry)
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "Console.WriteLine"
    code_page_something = "Console.WriteLine?"
    code_clear_output = "clear_output();"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The base class allows 15 s per reply; the first cell of a cold kernel may need more on a busy machine.
        reply = cls.kc.execute_interactive("0", timeout=WARM_UP_TIMEOUT, output_hook=lambda msg: None)
        assert reply["content"]["status"] == "ok", reply["content"]

    def run_cell(self, code, timeout=TIMEOUT, **kwargs):
        """execute_interactive with every IOPub message of the cell collected."""
        outputs = []
        reply = self.kc.execute_interactive(code, timeout=timeout, output_hook=outputs.append, **kwargs)
        return reply, outputs

    def test_tsgb_help_magic(self):
        self.flush_channels()
        reply, outputs = self.run_cell("#!tsgb --help")
        self.assertEqual(reply["content"]["status"], "ok")
        text = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
        self.assertIn("explain", text)
        self.assertNotIn("error", [m["msg_type"] for m in outputs])

    def test_tsgb_magic_user_error_is_one_message(self):
        self.flush_channels()
        reply, outputs = self.run_cell("#!tsgb explain --model no-such-model --scene 1")
        self.assertEqual(reply["content"]["status"], "error")
        errors = [m for m in outputs if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        self.assertIn("no-such-model", errors[0]["content"]["evalue"])
        self.assertFalse(any("   at " in line for line in errors[0]["content"]["traceback"]))

    def test_scene_is_an_image(self):
        self.flush_channels()
        reply, outputs = self.run_cell("Scenes.Generate(3)")
        self.assertEqual(reply["content"]["status"], "ok")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1)
        self.assertIn("image/png", results[0]["content"]["data"])
        self.assertIn("text/plain", results[0]["content"]["data"])

    def test_torch_in_a_cell(self):
        self.flush_channels()
        reply, outputs = self.run_cell('string.Join("x", randn(2, 3).shape)')
        self.assertEqual(reply["content"]["status"], "ok")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "2x3")

    def test_user_expressions(self):
        self.flush_channels()
        reply, outputs = self.run_cell(
            "var ue = 20;", user_expressions={"a": "1+1", "b": "ue + 22", "bad": "nosuch"})
        content = reply["content"]
        self.assertEqual(content["status"], "ok")
        expressions = content["user_expressions"]
        self.assertEqual(set(expressions), {"a", "b", "bad"})
        self.assertEqual(expressions["a"]["status"], "ok")
        self.assertEqual(expressions["a"]["data"]["text/plain"], "2")
        self.assertEqual(expressions["a"]["metadata"], {})
        self.assertEqual(expressions["b"]["data"]["text/plain"], "42")  # sees the cell's own variable
        self.assertEqual(expressions["bad"]["status"], "error")
        self.assertIn("nosuch", expressions["bad"]["evalue"])
        self.assertIsInstance(expressions["bad"]["traceback"], list)
        # The cell itself printed and returned nothing; the evaluations must not publish anything either.
        self.assertEqual([m["msg_type"] for m in outputs if m["msg_type"] not in ("status", "execute_input")], [])
        # ...nor count as an execution.
        count = content["execution_count"]
        after, _ = self.run_cell("ue")
        self.assertEqual(after["content"]["execution_count"], count + 1)

    def test_zz_interrupt_message_mode(self):
        self.flush_channels()
        msg_id = self.kc.execute("while (true) { }")
        time.sleep(1.5)
        self.km.interrupt_kernel()  # interrupt_mode "message": interrupt_request on control
        reply = self.get_non_kernel_info_reply(timeout=TIMEOUT)
        validate_message(reply, "execute_reply", msg_id)
        self.assertEqual(reply["content"]["status"], "error")
        self.flush_channels()
        reply, _ = self.execute_helper("1")
        self.assertEqual(reply["content"]["status"], "ok")

    def test_zz_sigint_does_not_kill(self):
        self.flush_channels()
        os.kill(self.km.provisioner.process.pid, signal.SIGINT)
        time.sleep(0.5)
        self.assertTrue(self.km.is_alive())
        msg_id = self.kc.kernel_info()
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        validate_message(reply, "kernel_info_reply", msg_id)

    def test_zz_stdin(self):
        self.flush_channels()
        msg_id = self.kc.execute("var name = Console.ReadLine(); name.ToUpper()", allow_stdin=True)
        request = self.kc.get_stdin_msg(timeout=TIMEOUT)
        self.assertEqual(request["msg_type"], "input_request")
        self.assertEqual(request["parent_header"]["msg_id"], msg_id)
        self.kc.input("ada")
        reply = self.get_non_kernel_info_reply(timeout=TIMEOUT)
        validate_message(reply, "execute_reply", msg_id)
        self.assertEqual(reply["content"]["status"], "ok")
        self.flush_channels()


if __name__ == "__main__":
    unittest.main()
