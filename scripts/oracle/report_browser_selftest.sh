#!/usr/bin/env bash
# Self-test of scripts/oracle/report_browser.py: tiny fixture pages, a good one that must pass and bad ones that
# must fail with the right reason (remote <img>, undecodable data: PNG and SVG <image>, CSS url(https://...),
# a request made by script that only the network log can see, a remote stylesheet under the reports' CSP, a broken
# relative link), plus an OUTPUT_DIR-like tree checked as a folder with screenshots.
# Needs /usr/bin/chromium and /usr/bin/chromedriver.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

/usr/bin/python3 - "$tmp" <<'PYEOF'
import base64, struct, sys, zlib
from pathlib import Path
d = Path(sys.argv[1])

def png(w, h):  # an RGB gradient, written with zlib + struct
    chunk = lambda t, b: struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b))
    raw = b''.join(b'\0' + bytes(v for x in range(w) for v in (x * 255 // w, y * 255 // h, 128)) for y in range(h))
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))

uri = 'data:image/png;base64,' + base64.b64encode(png(40, 30)).decode()
csp = '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; style-src \'unsafe-inline\'">'
page = lambda body, head='': f'<!doctype html><html><head><meta charset="utf-8">{head}<title>t</title></head><body>{body}</body></html>\n'
good = page(f'''<h1>good</h1><img id="slice" alt="slice" src="{uri}" width="200">
<svg width="120" height="60"><defs><linearGradient id="g"><stop offset="0" stop-color="#00f"/><stop offset="1" stop-color="#f00"/></linearGradient></defs>
<rect width="60" height="60" fill="url(#g)"/><image x="60" width="60" height="60" href="{uri}"/></svg>
<a href="bad_link.html">a local page</a> <a href="#top">top</a>''',
            csp + '<style>h1 { color: #333; background: url("data:image/png;base64,' + uri.split(',')[1] + '") }</style>')
files = {
    'good.html': good,
    'bad_http_img.html': page('<img alt="remote" src="http://example.invalid/x.png">'),
    'bad_data_png.html': page(f'<img src="{uri}"><img alt="broken" src="data:image/png;base64,AAAA">'),
    'bad_svg_image.html': page('<svg width="10" height="10"><image id="svgimg" href="data:image/png;base64,AAAA" width="10" height="10"/></svg>'),
    'bad_css_url.html': page('<div class="b">x</div>', '<style>.b { height: 50px; background: url(https://example.invalid/bg.png) }</style>'),
    'bad_script_fetch.html': page('<script>new Image().src = "http://example.invalid/dyn.png";</script>'),
    'bad_link.html': page('<a href="sub-09/missing_report.html">gone</a>'),
    'bad_csp_link.html': page('<p>x</p>', csp + '<link rel="stylesheet" href="https://example.invalid/s.css">'),
}
for name, text in files.items():
    (d / name).write_text(text)
out = d / 'out'
(out / 'sub-01' / 'ses-pre').mkdir(parents=True)
(out / 'group').mkdir()
(out / 'sub-01' / 'ses-pre' / 'sub-01_ses-pre_report.html').write_text(good.replace('bad_link.html', '../../group/report.html'))
(out / 'group' / 'report.html').write_text(page(f'<a href="../sub-01/ses-pre/sub-01_ses-pre_report.html">sub-01 ses-pre</a><img alt="g" src="{uri}">', csp))
PYEOF

fail=0
set +e
/usr/bin/python3 scripts/oracle/report_browser.py "$tmp"/*.html > "$tmp/files.txt" 2>&1
rc=$?
/usr/bin/python3 scripts/oracle/report_browser.py --screenshots "$tmp/shots" "$tmp/out" > "$tmp/dir.txt" 2>&1
rc_dir=$?
set -e
sed "s|$tmp/||g" "$tmp/files.txt" "$tmp/dir.txt"

expect() { # fixture, ok|FAIL, substring that must be on its line; a 4th argument: a substring that must not be
  local line
  line="$(grep -F " $tmp/$1:" "$tmp/files.txt" "$tmp/dir.txt" -h || true)"
  if [[ "$line" == "$2 "* && "$line" == *"$3"* && ( -z "${4:-}" || "$line" != *"$4"* ) ]]; then
    echo "selftest ok   $1: $2 ... $3"
  else
    echo "selftest FAIL $1: expected $2 with '$3'${4:+ and without '$4'}"; fail=1
  fi
}
expect good.html ok "2 images decoded, 0 external requests"
expect bad_http_img.html FAIL "static: <img src> http://example.invalid/x.png"
expect bad_http_img.html FAIL "request: http://example.invalid/x.png"
expect bad_http_img.html FAIL 'image did not decode: <img> 0 alt="remote" src=http://example.invalid/x.png'
expect bad_data_png.html FAIL 'image did not decode: <img> 1 alt="broken" src=data:image/png;base64,AAAA' '<img> 0'
expect bad_svg_image.html FAIL "image did not decode: <svg image> 0 id=svgimg src=data:image/png;base64,AAAA"
expect bad_css_url.html FAIL "static: <style> url(https://example.invalid/bg.png)"
expect bad_css_url.html FAIL "request: https://example.invalid/bg.png"
expect bad_script_fetch.html FAIL "request: http://example.invalid/dyn.png" "static:"
expect bad_csp_link.html FAIL "static: <link href> https://example.invalid/s.css"
expect bad_link.html FAIL "broken link: sub-09/missing_report.html"
expect out/sub-01/ses-pre/sub-01_ses-pre_report.html ok "screenshot $tmp/shots/sub-01_ses-pre_report.png (1280x"
expect out/group/report.html ok "screenshot $tmp/shots/group_report.png (1280x"
[ "$rc" = 1 ] || { echo "selftest FAIL: exit $rc on the fixtures, expected 1"; fail=1; }
[ "$rc_dir" = 0 ] || { echo "selftest FAIL: exit $rc_dir on the good folder, expected 0"; fail=1; }
for f in sub-01_ses-pre_report group_report; do
  [ "$(head -c 8 "$tmp/shots/$f.png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] \
    || { echo "selftest FAIL: $f.png is not a PNG"; fail=1; }
done
if [ "$fail" != 0 ]; then echo "report_browser_selftest: FAILED"; exit 1; fi
echo "report_browser_selftest: all checks passed"
