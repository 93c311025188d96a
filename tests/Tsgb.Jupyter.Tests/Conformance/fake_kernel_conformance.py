"""jupyter_client and jupyter_kernel_test against the fake-interpreter kernel process.

Run by JupyterClientConformanceTests with JUPYTER_PATH pointing at a temporary kernelspec named by FAKE_KERNEL_NAME.
"""
import os
import signal
import time
import unittest

import jupyter_kernel_test
from jupyter_kernel_test.msgspec_v5 import validate_message

TIMEOUT = 15


class FakeKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ["FAKE_KERNEL_NAME"]
    language_name = "fake"
    file_extension = ".fake"
    code_hello_world = "hello"
    code_stderr = "stderr"
    code_generate_error = "fail"
    code_clear_output = "clear"
    code_display_data = [{"code": "display", "mime": "text/html"}]
    code_execute_result = [{"code": "1+2", "result": "1+2"}, {"code": "12", "result": "12"}]
    code_history_pattern = "1+*"  # must match one sample only (unique → 1 entry)
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "zip"
    code_page_something = "page"
    completion_samples = [{"text": "Con", "matches": {"ConOne", "ConTwo"}}]
    complete_code_samples = ["a = 1"]
    incomplete_code_samples = ["if (x) {"]
    invalid_code_samples = ["}}"]

    def test_zz_interrupt_message_mode(self):
        self.flush_channels()
        msg_id = self.kc.execute("loop")
        time.sleep(1)
        self.km.interrupt_kernel()  # interrupt_mode "message": interrupt_request on control
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        validate_message(reply, "execute_reply", msg_id)
        self.assertEqual(reply["content"]["status"], "error")
        self.flush_channels()
        reply, _ = self.execute_helper("after-interrupt")
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
        msg_id = self.kc.execute("input", allow_stdin=True)
        request = self.kc.get_stdin_msg(timeout=TIMEOUT)
        # Not validate_message: its schema wants a number for "password", the spec (and ipykernel) a bool.
        self.assertEqual(request["msg_type"], "input_request")
        self.assertEqual(request["parent_header"]["msg_id"], msg_id)
        self.assertIs(request["content"]["password"], False)
        self.kc.input("Ada")
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        validate_message(reply, "execute_reply", msg_id)
        self.assertEqual(reply["content"]["status"], "ok")
        self.flush_channels()


if __name__ == "__main__":
    unittest.main()
