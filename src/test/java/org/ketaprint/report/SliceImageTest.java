package org.ketaprint.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Outlines at the rendered scale, windowing and the stat overlay, read back from the PNG. */
class SliceImageTest {
    static View.Slice slice(int w, int h, double... v) {
        return new View.Slice(w, h, v, 1, 1);
    }

    static BufferedImage decode(byte[] png) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    @Test
    void boundaryOfABlownUpSquare() {
        // a 2x2 voxel square in a 4x4 slice, blown up 3 x 2: a 6x4 pixel block whose rim is 6+6+2+2 = 16 pixels
        View.Slice m = slice(4, 4, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0);
        boolean[] b = SliceImage.boundary(m, 3, 2);
        int n = 0;
        for (boolean x : b) if (x) n++;
        assertEquals(16, n);
        assertTrue(b[2 * 12 + 3]);     // top-left corner of the block: row 2, column 3
        assertTrue(!b[3 * 12 + 4]);    // inside
        // a mask touching the image edge is closed by the edge
        boolean[] full = SliceImage.boundary(slice(2, 1, 1, 1), 1, 1);
        assertArrayEquals(new boolean[] {true, true}, full);
    }

    @Test
    void outlinePixelsAreExactlyTheBoundaryAndLaterOutlinesWin() throws Exception {
        View.Slice bg = slice(4, 4, new double[16]);
        View.Slice a = slice(4, 4, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0);
        View.Slice b = slice(4, 4, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0);
        SliceImage img = SliceImage.grey(bg, new double[] {0, 1}).outline("a", 0xff0000, a).outline("b", 0x00ff00, b);
        SliceImage.Rendered r = img.render(2.0);
        assertEquals(2, r.sx());
        assertEquals(8, r.width());
        BufferedImage png = decode(r.png());
        boolean[] ba = SliceImage.boundary(a, 2, 2);
        boolean[] bb = SliceImage.boundary(b, 2, 2);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                int rgb = png.getRGB(x, y) & 0xffffff;
                int i = y * 8 + x;
                int want = bb[i] ? 0x00ff00 : ba[i] ? 0xff0000 : 0;
                assertEquals(want, rgb, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void windowAndOverlay() throws Exception {
        double[] vol = new double[101];
        for (int i = 0; i < vol.length; i++) vol[i] = i;   // 0 is left out: 1..100
        double[] w = SliceImage.window(vol);
        assertEquals(2.0, w[0]);    // floor(0.02 * 99) = 1 -> the second smallest
        assertEquals(99.0, w[1]);   // ceil(0.98 * 99) = 98 -> 99
        assertArrayEquals(new double[] {0, 1}, SliceImage.window(new double[3]));
        assertArrayEquals(new double[] {0, 1}, SliceImage.window(new double[] {0, 1, 1}), "a mask: 1 is white");
        assertArrayEquals(new double[] {-2, -1}, SliceImage.window(new double[] {0, -2, -2}));
        // grey: below the window black, above white, a stat value over the threshold in colour (not grey)
        View.Slice bg = slice(3, 1, 0, 50, 200);
        View.Slice stat = slice(3, 1, 0, 0, 5);
        BufferedImage png = decode(SliceImage.grey(bg, new double[] {10, 100}).overlay(stat, 2, 10).render(1).png());
        assertEquals(0x000000, png.getRGB(0, 0) & 0xffffff);
        int mid = png.getRGB(1, 0) & 0xff;
        assertTrue(mid > 100 && mid < 130, "50 in [10, 100] is about 114 of 255: " + mid);
        int c = png.getRGB(2, 0) & 0xffffff;
        assertTrue(((c >> 16) & 0xff) != (c & 0xff), "overlay pixel is coloured: " + Integer.toHexString(c));
    }
}
