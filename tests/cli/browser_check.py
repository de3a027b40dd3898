#!/usr/bin/env python3
"""Opens HTML pages in headless Chromium and reports what a reader would see
wrong: a JavaScript error, a page wider than the window, content cut or
hidden behind a scrollbar, chart text cut with an ellipsis or drawn outside
its chart, a link to something that is neither a page nor a CSV file.

    browser_check.py CHROMIUM SHOTS_DIR [--charts PAGE=N]... PAGE.html...

Each page is checked in a 1280 px window on screen and at the width of a
printed A4 page (210 mm less 10 mm margins each side, 718 px) with print
media; a screenshot of each (SHOTS_DIR/NAME.png) and its PDF print
(SHOTS_DIR/NAME.pdf) are kept.  Chromium is driven over the DevTools
protocol on a pipe (--remote-debugging-pipe): no port, no network, only
file:// URLs.  Prints one line per problem, "PAGE (WIDTH px): problem",
and exits 1 if there is any, 2 if Chromium itself fails.
"""
import base64
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

SCREEN_WIDTH = 1280
PRINT_WIDTH = 718  # A4 (794 px at 96 dpi) less 2 x 10 mm (38 px) margins
TIMEOUT = 30.0

# Runs in the page; returns the list of problems found.
CHECK_SCRIPT = r"""
(() => {
  const problems = [];
  const width = window.innerWidth;
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.className && typeof el.className === 'string')
      s += '.' + el.className.trim().split(/\s+/).join('.');
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ');
    return s + (text ? ' "' + text.slice(0, 40) + '"' : '');
  };
  const root = document.documentElement;
  if (root.scrollWidth > width)
    problems.push('page is ' + root.scrollWidth + ' px wide, wider than the window');
  const outside = new Set(); /* reported: their descendants are not */
  const within = (el, set) => {
    for (let p = el.parentElement; p; p = p.parentElement)
      if (set.has(p)) return true;
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    const cs = getComputedStyle(el);
    const wide = el.scrollWidth > el.clientWidth + 1;
    const tall = el.scrollHeight > el.clientHeight + 1;
    if (wide && cs.overflowX !== 'visible')
      problems.push(name(el) + ': content ' + el.scrollWidth + ' px wide in a box of ' +
                    el.clientWidth + ' px (overflow-x ' + cs.overflowX + ')');
    if (tall && cs.overflowY !== 'visible' && cs.overflowY !== 'auto')
      problems.push(name(el) + ': content cut at the bottom (overflow-y ' + cs.overflowY + ')');
    if (cs.textOverflow === 'ellipsis' && wide)
      problems.push(name(el) + ': text cut with an ellipsis');
    const box = el.getBoundingClientRect();
    if (box.width > 0 && (box.right > width + 1 || box.left < -1) &&
        !within(el, outside) && (outside.add(el), true))
      problems.push(name(el) + ': reaches ' + Math.round(box.left) + '..' +
                    Math.round(box.right) + ' px, outside the window');
  }
  for (const svg of document.querySelectorAll('svg')) {
    const vb = svg.viewBox.baseVal;
    for (const text of svg.querySelectorAll('text')) {
      const shown = Array.from(text.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent).join('');
      if (/(\u2026|\.\.\.)\s*$/.test(shown))
        problems.push('chart text cut: "' + shown + '"');
      if (!vb || vb.width === 0) continue;
      if (text.closest('[transform*=rotate]')) continue; /* axis titles */
      const b = text.getBBox();
      const m = text.getCTM() && svg.getCTM() ? svg.getCTM().inverse().multiply(text.getCTM()) : null;
      let left = b.x, right = b.x + b.width;
      if (m && m.b === 0 && m.c === 0) {
        left = m.a * left + m.e;
        right = m.a * right + m.e;
      } else if (m) {
        continue; /* rotated (axis titles): vertical extent only */
      }
      const viewLeft = vb.x, viewRight = vb.x + vb.width;
      if (left < viewLeft - 1 || right > viewRight + 1)
        problems.push('chart text outside its chart: "' + shown + '" (' +
                      Math.round(left) + '..' + Math.round(right) + ' of ' +
                      Math.round(viewLeft) + '..' + Math.round(viewRight) + ')');
    }
  }
  for (const a of document.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    if (href.startsWith('#')) continue;
    const path = href.split(/[?#]/)[0];
    if (!/\.(html|csv)$/i.test(path))
      problems.push('link to ' + href + ': neither a page nor a CSV file');
    else if (/^[a-z]+:/i.test(href) && !href.startsWith('file:'))
      problems.push('link to ' + href + ': leaves the report');
  }
  return {problems: problems, charts: document.querySelectorAll('svg').length};
})()
"""


class Browser:
    """One headless Chromium driven over --remote-debugging-pipe."""

    def __init__(self, chromium, log):
        self.profile = tempfile.mkdtemp(prefix="mql-chromium-")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def child_fds():  # the protocol's pipe is fds 3 (in) and 4 (out)
            commands, replies = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(commands, 3)
            os.dup2(replies, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking",
             "--remote-debugging-pipe", "--user-data-dir=" + self.profile,
             "about:blank"],
            close_fds=False, preexec_fn=child_fds,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise RuntimeError("Chromium did not answer within %.0f s" % TIMEOUT)
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed its pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, session=None, **params):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"].get("message")))
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_event(self, method, session):
        deadline = time.monotonic() + TIMEOUT
        while True:
            for i, event in enumerate(self.events):
                if event["method"] == method and event.get("sessionId") == session:
                    del self.events[i]
                    return event
            self.events.append(self._read_message(deadline))

    def close(self):
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def errors_of(events, session):
    """JavaScript errors and console errors among the events of session."""
    found = []
    for event in events:
        if event.get("sessionId") != session:
            continue
        params = event.get("params", {})
        if event["method"] == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text")
            found.append("JavaScript error: %s" % text)
        elif event["method"] == "Runtime.consoleAPICalled" and params.get("type") == "error":
            found.append("console error: %s" % " ".join(
                str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif event["method"] == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            found.append("browser error: %s" % params["entry"].get("text"))
    return found


def check_page(browser, session, page, width, media, shots):
    """Loads page at width with media; returns (problems, number of charts)."""
    browser.call("Emulation.setDeviceMetricsOverride", session, width=width, height=900,
                 deviceScaleFactor=1, mobile=False)
    browser.call("Emulation.setEmulatedMedia", session, media=media)
    browser.events.clear()
    browser.call("Page.navigate", session, url=pathlib.Path(page).resolve().as_uri())
    browser.wait_event("Page.loadEventFired", session)
    result = browser.call("Runtime.evaluate", session, expression=CHECK_SCRIPT,
                          returnByValue=True)
    if "exceptionDetails" in result:
        raise RuntimeError("the check script failed: %s" % result["exceptionDetails"])
    value = result["result"]["value"]
    problems = errors_of(browser.events, session) + value["problems"]
    stem = os.path.join(shots, pathlib.Path(page).stem)
    if media == "screen":
        metrics = browser.call("Page.getLayoutMetrics", session)
        size = metrics["cssContentSize"]
        shot = browser.call("Page.captureScreenshot", session, format="png",
                            captureBeyondViewport=True,
                            clip={"x": 0, "y": 0, "width": width,
                                  "height": min(size["height"], 16000), "scale": 1})
        with open(stem + ".png", "wb") as f:
            f.write(base64.b64decode(shot["data"]))
    else:
        pdf = browser.call("Page.printToPDF", session, paperWidth=8.27, paperHeight=11.69,
                           marginTop=0.4, marginBottom=0.4, marginLeft=0.4,
                           marginRight=0.4, printBackground=True)
        data = base64.b64decode(pdf["data"])
        if not data.startswith(b"%PDF"):
            problems.append("printing to PDF failed")
        with open(stem + ".pdf", "wb") as f:
            f.write(data)
    return problems, value["charts"]


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[3].strip(), file=sys.stderr)
        return 2
    chromium, shots = argv[1], argv[2]
    charts_wanted, pages = {}, []
    rest = argv[3:]
    while rest:
        if rest[0] == "--charts":
            name, count = rest[1].split("=")
            charts_wanted[name] = int(count)
            rest = rest[2:]
        else:
            pages.append(rest[0])
            rest = rest[1:]
    os.makedirs(shots, exist_ok=True)
    log = open(os.path.join(shots, "chromium.log"), "w")
    browser = Browser(chromium, log)
    failed = 0
    try:
        target = browser.call("Target.createTarget", url="about:blank")["targetId"]
        session = browser.call("Target.attachToTarget", targetId=target,
                               flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            browser.call(domain + ".enable", session)
        for page in pages:
            base = os.path.basename(page)
            for width, media in ((SCREEN_WIDTH, "screen"), (PRINT_WIDTH, "print")):
                problems, charts = check_page(browser, session, page, width, media, shots)
                wanted = charts_wanted.get(base, 0)
                if charts < wanted:
                    problems.append("%d charts, %d wanted" % (charts, wanted))
                for problem in problems:
                    print("%s (%d px %s): %s" % (base, width, media, problem))
                failed += len(problems)
    except (RuntimeError, OSError, KeyError) as e:
        print("browser_check: %s" % e, file=sys.stderr)
        return 2
    finally:
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
