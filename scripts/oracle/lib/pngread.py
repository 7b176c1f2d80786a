"""Minimal PNG reader for the report checks (no PIL here): 8-bit RGB/RGBA/grey, non-interlaced, all five filters.
Also: the report's slice panels and plots parsed back into numbers."""
import base64
import html.parser
import struct
import zlib

import numpy as np


def decode(data):
    """PNG bytes -> uint8 array (height, width, channels)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0, "only 8-bit non-interlaced PNG"
            ch = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    raw = zlib.decompress(idat)
    stride = w * ch
    out = np.zeros((h, stride), dtype=np.int32)
    prev = np.zeros(stride, dtype=np.int32)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = np.frombuffer(raw, dtype=np.uint8, count=stride, offset=y * (stride + 1) + 1).astype(np.int32)
        cur = np.zeros(stride, dtype=np.int32)
        for x in range(stride):
            a = cur[x - ch] if x >= ch else 0
            b = prev[x]
            c = prev[x - ch] if x >= ch else 0
            if f == 0:
                p = 0
            elif f == 1:
                p = a
            elif f == 2:
                p = b
            elif f == 3:
                p = (a + b) // 2
            else:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            cur[x] = (line[x] + p) & 0xFF
        out[y] = cur
        prev = cur
    return out.reshape(h, w, ch).astype(np.uint8)


def data_uri_png(src):
    assert src.startswith("data:image/png;base64,"), src[:40]
    return decode(base64.b64decode(src.split(",", 1)[1]))


class Panels(html.parser.HTMLParser):
    """Every <div class="slice"> with its data- attributes and its <img> src; every <svg class="plot"> with its
    polylines and circles."""

    def __init__(self):
        super().__init__()
        self.slices, self.plots = [], []
        self._slice = None
        self._plot = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "div" and "slice" in cls:
            self._slice = {k[5:]: v for k, v in a.items() if k.startswith("data-")}
            self.slices.append(self._slice)
        elif tag == "img" and self._slice is not None and "src" not in self._slice:
            self._slice["src"] = a.get("src")
        elif tag == "svg" and "plot" in cls:
            self._plot = {k[5:]: v for k, v in a.items() if k.startswith("data-")}
            self._plot["items"] = []
            self.plots.append(self._plot)
        elif self._plot is not None and tag in ("polyline", "circle", "line"):
            self._plot["items"].append((tag, a))

    def handle_endtag(self, tag):
        if tag == "div":
            self._slice = None
        elif tag == "svg":
            self._plot = None


def parse(path):
    p = Panels()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p


def rois(slice_attrs):
    """[(name, (r, g, b))] in drawing order from data-rois="name=#rrggbb;..."."""
    out = []
    for part in (slice_attrs.get("rois") or "").split(";"):
        if not part:
            continue
        name, col = part.rsplit("=", 1)
        out.append((name, tuple(int(col[i:i + 2], 16) for i in (1, 3, 5))))
    return out


def display_slice(vol_canonical, plane, k):
    """A canonical (RAS) volume's slice as the report shows it: neurological, row 0 anterior/superior."""
    if plane == "axial":
        s = vol_canonical[:, :, k]        # (x, y)
    elif plane == "coronal":
        s = vol_canonical[:, k, :]        # (x, z)
    else:
        s = vol_canonical[k, :, :]        # (y, z)
    return s.T[::-1, :]                   # rows: second axis descending; columns: first axis ascending


def boundary(mask2d, sx, sy):
    """Inner boundary of the mask blown up sx (columns) x sy (rows): mask pixels with a 4-neighbour outside or at the edge."""
    m = np.repeat(np.repeat(mask2d.astype(bool), sy, axis=0), sx, axis=1)
    p = np.pad(m, 1, constant_values=False)
    inner = p[:-2, 1:-1] & p[2:, 1:-1] & p[1:-1, :-2] & p[1:-1, 2:]
    return m & ~inner


def plot_to_data(plot, px, py):
    """Pixel coordinates of a plot back to data coordinates (the root's data-x0..data-h mapping)."""
    x0, x1, y0, y1 = (float(plot[k]) for k in ("x0", "x1", "y0", "y1"))
    left, top, w, h = (float(plot[k]) for k in ("left", "top", "w", "h"))
    return x0 + (px - left) / w * (x1 - x0), y0 + (1 - (py - top) / h) * (y1 - y0)
