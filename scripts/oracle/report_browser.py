#!/usr/bin/python3
"""Checks ketaprint's self-contained HTML reports in headless Chromium (issue 17), standard library only.

Drives /usr/bin/chromium through chromedriver's W3C WebDriver HTTP API. For every page: no request leaves the
file (Chromium's network log, plus a static pass over the HTML), every <img> and SVG <image> decodes, relative
<a href> links point at existing files; a full-page screenshot goes to --screenshots DIR.

  report_browser.py [--screenshots DIR] [--scale F] [--max-height PX] PAGE.html|OUTPUT_DIR ...

An OUTPUT_DIR stands for its every *_report.html plus group/report.html. One line per page (ok/FAIL);
exits 1 if any page fails, 2 on a usage or browser start-up error.
"""
import argparse, base64, html.parser, json, os, re, shutil, signal, socket, struct, subprocess, sys, tempfile, time
import urllib.error, urllib.parse, urllib.request
from pathlib import Path

CHROMIUM, CHROMEDRIVER = '/usr/bin/chromium', '/usr/bin/chromedriver'
CSS_URL = re.compile(r'url\(\s*([\'"]?)(.*?)\1\s*\)', re.I | re.S)
CSS_IMPORT = re.compile(r'@import\s+(?:url\(\s*)?[\'"]?([^\'")\s;]*)', re.I)
LINKS = {'a', 'area'}  # href on these is navigation, never fetched


def local(url):
    u = url.strip()
    return u.lower().startswith('data:') or u.startswith('#')


class Static(html.parser.HTMLParser):
    """Collects every reference in the HTML that would fetch something that is not data: or #fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad, self.links, self.in_style = [], [], False

    def css(self, text, where):
        for m in CSS_URL.finditer(text):
            if not local(m.group(2)):
                self.bad.append(f'{where} url({m.group(2)})')
        for m in CSS_IMPORT.finditer(text):
            if not local(m.group(1)):
                self.bad.append(f'{where} @import {m.group(1)}')

    def handle_starttag(self, tag, attrs):
        self.in_style = tag == 'style'
        for name, value in attrs:
            value = value or ''
            if name in ('href', 'xlink:href') and tag in LINKS:
                self.links.append(value)
            elif name in ('src', 'srcset', 'poster', 'background', 'href', 'xlink:href') or (tag == 'object' and name == 'data'):
                if not local(value):
                    self.bad.append(f'<{tag} {name}> {value}')
            elif 'url(' in value.lower() or '@import' in value.lower():
                self.css(value, f'<{tag} {name}>')

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if self.in_style:  # <style> is raw text to the parser: its whole content arrives here
            self.css(data, '<style>')


def static_check(path):
    p = Static()
    p.feed(path.read_text(encoding='utf-8', errors='replace'))
    p.close()
    reasons = [f'static: {b}' for b in p.bad]
    for href in p.links:  # relative links must reach a file (the group page's links to subject pages)
        u = urllib.parse.urlsplit(href)
        if u.scheme or u.netloc or not u.path:
            continue
        if not (path.parent / urllib.parse.unquote(u.path)).exists():
            reasons.append(f'broken link: {href}')
    return reasons


class Driver:
    """A minimal W3C WebDriver client over urllib."""

    def __init__(self, port):
        self.base, self.sid = f'http://127.0.0.1:{port}', None

    def call(self, method, path, body=None, timeout=120):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={'Content-Type': 'application/json; charset=utf-8'})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return json.loads(r.read() or b'{}').get('value')
        except urllib.error.HTTPError as e:
            v = json.loads(e.read() or b'{}').get('value', {})
            msg = (str(v.get('message', '')).splitlines() or [''])[0]
            raise RuntimeError(f"webdriver {method} {path}: {v.get('error')}: {msg}")

    def s(self, method, path, body=None, timeout=120):
        return self.call(method, f'/session/{self.sid}{path}', body, timeout)


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def launch(profile):
    """chromedriver on a free port, in a process group of its own (the Chromium it starts joins it)."""
    port = free_port()
    with open(os.path.join(profile, 'chromedriver.log'), 'wb') as log:
        proc = subprocess.Popen([CHROMEDRIVER, f'--port={port}'], stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    return proc, Driver(port)


def open_session(proc, d, profile):
    """Waits for chromedriver, then starts headless Chromium with the network part of its performance log."""
    for _ in range(100):
        try:
            if (d.call('GET', '/status', timeout=2) or {}).get('ready'):
                break
        except (OSError, RuntimeError):
            pass
        if proc.poll() is not None:
            raise RuntimeError(f'chromedriver exited with {proc.returncode}')
        time.sleep(0.1)
    else:
        raise RuntimeError('chromedriver did not become ready in 10 s')
    args = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars',
            f'--user-data-dir={profile}/chrome', '--window-size=1280,2000']
    caps = {'browserName': 'chrome', 'goog:loggingPrefs': {'performance': 'ALL'},
            'goog:chromeOptions': {'binary': CHROMIUM, 'args': args,
                                   'perfLoggingPrefs': {'enableNetwork': True, 'enablePage': False}},
            'timeouts': {'pageLoad': 60000, 'script': 60000}}
    d.sid = d.call('POST', '/session', {'capabilities': {'alwaysMatch': caps}})['sessionId']


def requests(d):
    """URLs of Network.requestWillBeSent since the last read (reading drains chromedriver's log), less those of
    Chromium's own chrome:// pages (a new-tab page it loads in the background; a file:// page cannot reach them)."""
    out = []
    for e in d.s('POST', '/se/log', {'type': 'performance'}) or []:
        m = json.loads(e['message'])['message']
        if m.get('method') == 'Network.requestWillBeSent' and not m['params'].get('documentURL', '').startswith('chrome:'):
            out.append(m['params']['request']['url'])
    return out


DECODE_JS = r'''
const done = arguments[arguments.length - 1];
(async () => {
  const bad = []; let n = 0;
  const check = async (im, kind, i, el) => {
    try { await im.decode(); } catch (e) {}
    if (im.naturalWidth > 0 && im.naturalHeight > 0) { n++; return; }
    const src = el === im ? (im.getAttribute('src') || '') : im.src;
    bad.push(kind + ' ' + i + (el.id ? ' id=' + el.id : '') + (el.getAttribute('alt') ? ' alt="' + el.getAttribute('alt') + '"' : '')
             + ' src=' + src.slice(0, 60));
  };
  const imgs = Array.from(document.images);
  for (let i = 0; i < imgs.length; i++) { imgs[i].loading = 'eager'; await check(imgs[i], '<img>', i, imgs[i]); }
  const svg = Array.from(document.querySelectorAll('svg image'));
  for (let i = 0; i < svg.length; i++) {
    const im = new Image();
    im.src = svg[i].getAttribute('href') || svg[i].getAttributeNS('http://www.w3.org/1999/xlink', 'href') || '';
    await check(im, '<svg image>', i, svg[i]);
  }
  return {n, bad};
})().then(done, e => done({n: 0, bad: ['script error: ' + e]}));
'''


def screenshot(d, dest, scale, max_height):
    m = d.s('POST', '/goog/cdp/execute', {'cmd': 'Page.getLayoutMetrics', 'params': {}})
    size = m.get('cssContentSize') or m['contentSize']
    w, h = int(size['width']), int(size['height'])
    if max_height:
        h = min(h, max_height)
    clip = {'x': 0, 'y': 0, 'width': w, 'height': h, 'scale': scale}
    v = d.s('POST', '/goog/cdp/execute', {'cmd': 'Page.captureScreenshot', 'params': {
        'format': 'png', 'captureBeyondViewport': True, 'clip': clip}})
    png = base64.b64decode(v['data'])
    dest.write_bytes(png)
    return struct.unpack('>II', png[16:24])


def shot_name(page):
    return (f'{page.parent.name}_report' if page.stem == 'report' else page.stem) + '.png'


def check_page(d, page, shots, scale, max_height):
    reasons = static_check(page)
    url = page.as_uri()
    requests(d)  # drain what earlier pages left
    d.s('POST', '/url', {'url': url})
    v = d.s('POST', '/execute/async', {'script': DECODE_JS, 'args': []})
    reasons += [f'image did not decode: {b}' for b in v['bad']]
    shot = ''
    if shots:
        dest = shots / shot_name(page)
        w, h = screenshot(d, dest, scale, max_height)
        shot = f', screenshot {dest} ({w}x{h})'
    time.sleep(0.2)  # let late requests reach the log
    ext = [u for u in requests(d) if u.split('#')[0] != url and not u.lower().startswith('data:')]
    reasons += [f'request: {u}' for u in dict.fromkeys(ext)]
    if reasons:
        return f'FAIL {page}: ' + '; '.join(reasons)
    return f"ok {page}: {v['n']} images decoded, 0 external requests{shot}"


def usage(msg):
    print(f'report_browser: {msg}', file=sys.stderr)
    sys.exit(2)


def pages(args):
    out = []
    for a in map(Path, args):
        if a.is_dir():
            found = sorted(a.rglob('*_report.html')) + ([a / 'group' / 'report.html'] if (a / 'group' / 'report.html').exists() else [])
            if not found:
                usage(f'no *_report.html or group/report.html under {a}')
            out += found
        elif a.is_file():
            out.append(a)
        else:
            usage(f'no such file or directory: {a}')
    return [p.resolve() for p in out]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('paths', nargs='+')
    ap.add_argument('--screenshots', type=Path, help='folder for full-page PNGs')
    ap.add_argument('--scale', type=float, default=1.0, help='screenshot scale (e.g. 0.6)')
    ap.add_argument('--max-height', type=int, default=0, help='crop screenshots to the top PX CSS pixels')
    a = ap.parse_args()
    todo = pages(a.paths)
    for exe in (CHROMIUM, CHROMEDRIVER):
        if not os.access(exe, os.X_OK):
            usage(f'{exe} missing (apt-get install chromium chromium-driver)')
    if a.screenshots:
        a.screenshots.mkdir(parents=True, exist_ok=True)
    profile = tempfile.mkdtemp(prefix='report-browser-')
    proc, d, failed = None, None, 0
    try:
        proc, d = launch(profile)
        open_session(proc, d, profile)
        for page in todo:
            try:
                line = check_page(d, page, a.screenshots, a.scale, a.max_height)
            except (RuntimeError, OSError) as e:
                line = f'FAIL {page}: {e}'
            failed += line.startswith('FAIL')
            print(line, flush=True)
    except (RuntimeError, OSError) as e:
        print(f'report_browser: {e} (log: {profile}/chromedriver.log)', file=sys.stderr)
        profile = None  # keep the log
        return 2
    finally:
        if d is not None and d.sid:
            try:
                d.s('DELETE', '', timeout=20)
            except (OSError, RuntimeError):
                pass
        if proc is not None and proc.poll() is None:  # chromedriver's group (with any Chromium left), not yet reaped
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        if profile:
            shutil.rmtree(profile, ignore_errors=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
