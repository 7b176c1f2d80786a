package org.ketaprint.spaces;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How TransformReader tells formats apart by content (issue 15). A FLIRT matrix is plain text: 16 numbers, any
 * whitespace (tabs, CR LF line ends) allowed; any other control byte makes it "not text". An HDF5 file starts with
 * the 8-byte signature 89 'H' 'D' 'F' CR LF 1A LF. Read without images, a recognised FLIRT matrix asks for them.
 */
class TransformReaderSniffTest {
    @TempDir
    Path dir;

    static final String FLIRT = "1 0 0 2\n0 1 0 3\n0 0 1 4\n0 0 0 1\n";

    String message(String name, byte[] content) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return assertThrows(TransformException.class, () -> TransformReader.read(f)).getMessage();
    }

    @Test
    void flirtWithTabsAndCrLfIsRecognised() throws IOException {
        String m = message("tabs.mat", FLIRT.replace(' ', '\t').replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII));
        assertTrue(m.contains("FSL FLIRT matrix needs its reference and moving images"), m);
    }

    @Test
    void controlByteMakesItNotText() throws IOException {
        // 0x1F (unit separator) counts as whitespace for String.strip, but it is no text byte
        String m = message("us.mat", (FLIRT + "\u001F").getBytes(StandardCharsets.US_ASCII));
        assertTrue(m.contains("unknown transform format"), m);
    }

    @Test
    void eightByteHdf5SignatureGoesToTheHdf5Reader() throws IOException {
        byte[] sig = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
        String m = message("x.h5", sig);
        assertTrue(m.contains("HDF5"), m);
        String short7 = message("y.h5", java.util.Arrays.copyOf(sig, 7));
        assertTrue(short7.contains("unknown transform format"), short7);
    }
}
