"""Runs one notebook through the classic Jupyter Notebook 6 UI in headless Chromium and screenshots it.

    /usr/bin/python3 tests/browser/run_in_browser.py URL SCREENSHOT.png [--kernel NAME] [--ready-timeout S]
        [--run-timeout S]

URL is the notebook page with its token (http://127.0.0.1:PORT/notebooks/NAME.ipynb?token=TOKEN), served by a
notebook server whose copy of the notebook has no outputs. The script waits for the kernel to be idle, runs all
cells (Jupyter.notebook.execute_all_cells()), waits until no cell is running, checks the DOM and saves a full-page
screenshot. Each check prints one line "PASS <check>" or "FAIL <check>: <why>"; it stops at the first failure
except that the screenshot is still taken when the page got that far. Exit status 0 when every check passed.

Needs Debian's chromium, chromium-driver and python3-selenium.
"""
import argparse
import base64
import os
import signal
import sys
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service

CHROMIUM = os.environ.get("TSGB_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("TSGB_CHROMEDRIVER", "/usr/bin/chromedriver")
WIDTH = 1400
MAX_HEIGHT = 16000  # Chromium's limit on one capture is far above this; it keeps the file reasonable.

failures = 0


def check(name, ok, why=""):
    global failures
    if ok:
        print(f"PASS {name}", flush=True)
    else:
        failures += 1
        print(f"FAIL {name}: {why}", flush=True)
    return ok


def wait_for(driver, script, timeout, poll=0.5):
    """Evaluates `script` (a JS expression) until it is truthy; returns its value, or None after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = driver.execute_script("return (" + script + ");")
        except WebDriverException:
            value = None  # the page is still loading
        if value:
            return value
        if time.monotonic() > deadline:
            return None
        time.sleep(poll)


KERNEL_STATE = """(function () {
  var nb = window.Jupyter && Jupyter.notebook, k = nb && nb.kernel;
  var icon = document.getElementById('kernel_indicator_icon');
  var dialog = document.querySelector('.modal.in .modal-body');
  return {loaded: !!(nb && nb._fully_loaded), kernel: k ? k.name : null,
          connected: !!(k && k.is_connected()), ready: !!(k && k.info_reply),
          indicator: icon ? icon.className : null, dialog: dialog ? dialog.innerText.slice(0, 500) : null};
})()"""

KERNEL_IDLE = """(function () {
  var nb = window.Jupyter && Jupyter.notebook, k = nb && nb.kernel;
  var icon = document.getElementById('kernel_indicator_icon');
  return !!(nb && nb._fully_loaded && k && k.is_connected() && k.info_reply
            && icon && icon.className === 'kernel_idle_icon');
})()"""

RUN_STATE = """(function () {
  var cells = Jupyter.notebook.get_cells().filter(function (c) { return c.cell_type === 'code'; });
  var icon = document.getElementById('kernel_indicator_icon');
  return {running: document.querySelectorAll('.cell.code_cell.running').length,
          total: cells.length,
          indicator: icon ? icon.className : null};
})()"""

RESULTS = """(function () {
  var cells = Jupyter.notebook.get_cells();
  var out = {unexecuted: [], errors: [], stderr: [], images: 0, broken_images: 0, missing_tagged: []};
  cells.forEach(function (c, i) {
    if (c.cell_type !== 'code') return;
    var el = c.element[0];
    var source = c.get_text().trim();
    if (source.length > 0 && typeof c.input_prompt_number !== 'number')
      out.unexecuted.push(i + ': ' + source.split('\\n')[0].slice(0, 80) + ' (prompt ' + c.input_prompt_number + ')');
    el.querySelectorAll('.output_error').forEach(function (e) {
      out.errors.push(i + ': ' + e.innerText.slice(0, 800)); });
    el.querySelectorAll('.output_stderr').forEach(function (e) {
      out.stderr.push(i + ': ' + e.innerText.slice(0, 800)); });
    var imgs = el.querySelectorAll('.output_area img[src^="data:image/png"], div.output_png img');
    var good = 0;
    imgs.forEach(function (img) { if (img.complete && img.naturalWidth > 0) good++; else out.broken_images++; });
    out.images += good;
    var tags = (c.metadata && c.metadata.tags) || [];
    if (tags.indexOf('expect-image') >= 0 && good === 0) out.missing_tagged.push(i);
  });
  return out;
})()"""

# Notebook 6 scrolls inside #site (fixed to the window's height), so a full-page capture needs the page to be as
# tall as the notebook: measure it, then let #site grow.
CONTENT_HEIGHT = """(function () {
  var header = document.getElementById('header');
  var nb = document.getElementById('notebook');
  return Math.ceil((header ? header.getBoundingClientRect().height : 0) + (nb ? nb.scrollHeight : 0)) + 40;
})()"""

UNFOLD = """(function () {
  var s = document.createElement('style');
  s.textContent = 'html, body { height: auto !important; overflow: visible !important; }'
    + ' #site { height: auto !important; overflow: visible !important; }';
  document.head.appendChild(s);
  window.scrollTo(0, 0);
})()"""


def screenshot(driver, path):
    height = driver.execute_script("return " + CONTENT_HEIGHT + ";") or 3000
    height = max(800, min(int(height), MAX_HEIGHT))
    driver.execute_script(UNFOLD)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False})
    time.sleep(1)  # layout after the resize
    shot = driver.execute_cdp_cmd("Page.captureScreenshot",
                                  {"format": "png", "captureBeyondViewport": True, "fromSurface": True})
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    return os.path.getsize(path), height


def browser(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={WIDTH},3000", f"--user-data-dir={profile}", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--metrics-recording-only",
                "--force-device-scale-factor=1", "--hide-scrollbars", "--lang=en-US"):
        options.add_argument(arg)
    # An explicit chromedriver: Selenium Manager would otherwise try to download one.
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def run(driver, args):
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    driver.get(args.url)

    idle = wait_for(driver, KERNEL_IDLE, args.ready_timeout)
    state = driver.execute_script("return " + KERNEL_STATE + ";")
    if not check("kernel idle in the notebook page", idle,
                 f"not within {args.ready_timeout} s; page state {state}"):
        return True
    if not check(f"kernel is {args.kernel}", state.get("kernel") == args.kernel,
                 f"the page runs kernel {state.get('kernel')!r}"):
        return True

    driver.execute_script("Jupyter.notebook.execute_all_cells();")
    started = time.monotonic()
    deadline = started + args.run_timeout
    last = None
    while True:
        run_state = driver.execute_script("return " + RUN_STATE + ";")
        if run_state["indicator"] == "kernel_dead_icon":
            check("all cells ran", False, "the kernel died")
            return True
        if run_state["running"] == 0 and run_state["indicator"] == "kernel_idle_icon":
            break
        if time.monotonic() > deadline:
            check("all cells ran", False,
                  f"{run_state['running']} of {run_state['total']} code cells still running after "
                  f"{args.run_timeout} s")
            return True
        if run_state["running"] != last:
            last = run_state["running"]
            print(f"  {last} of {run_state['total']} code cells queued or running "
                  f"({time.monotonic() - started:.0f} s)", flush=True)
        time.sleep(0.5)
    time.sleep(1)  # let the last outputs render (images decode asynchronously)
    wait_for(driver, "Array.from(document.querySelectorAll('.output_area img')).every(i => i.complete)", 10)

    results = driver.execute_script("return " + RESULTS + ";")
    print(f"  all cells finished in {time.monotonic() - started:.0f} s", flush=True)
    ok = check("all cells ran", not results["unexecuted"],
               "not executed: " + "; ".join(results["unexecuted"]))
    # Any stderr output counts: the kernel writes compilation errors and exceptions there or as error outputs.
    ok &= check("no error output", not results["errors"] and not results["stderr"],
                " | ".join(["error in cell " + e for e in results["errors"]]
                           + ["stderr in cell " + e for e in results["stderr"]]))
    ok &= check("heatmaps rendered (image/png outputs shown)",
                results["images"] > 0 and not results["missing_tagged"] and not results["broken_images"],
                f"{results['images']} rendered image(s), {results['broken_images']} not decoded, "
                f"cells tagged expect-image without one: {results['missing_tagged']}")
    if ok:
        print(f"  {results['images']} image(s) rendered", flush=True)
    return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("screenshot")
    parser.add_argument("--kernel", default="tsgb-csharp")
    parser.add_argument("--ready-timeout", type=int, default=120)
    parser.add_argument("--run-timeout", type=int, default=300)
    args = parser.parse_args()

    # timeout(1) sends SIGTERM: turn it into an exception so that the finally below closes the browser.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    profile = tempfile.mkdtemp(prefix="tsgb-chromium-")
    driver = None
    try:
        try:
            driver = browser(profile)
        except WebDriverException as e:
            check("headless Chromium starts", False, str(e).strip().splitlines()[0] if str(e).strip() else repr(e))
            return 1
        page_reached = False
        try:
            page_reached = run(driver, args)
        except WebDriverException as e:
            check("notebook page", False, (str(e).strip().splitlines() or [repr(e)])[0])
        if page_reached:
            try:
                size, height = screenshot(driver, args.screenshot)
                check("screenshot saved", size > 0, "empty file")
                print(f"  {args.screenshot}: {WIDTH}x{height}, {size // 1024} KiB", flush=True)
            except (WebDriverException, OSError) as e:
                check("screenshot saved", False, (str(e).strip().splitlines() or [repr(e)])[0])
    finally:
        if driver is not None:
            try:
                driver.quit()
            except Exception:
                pass
        import shutil
        shutil.rmtree(profile, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
