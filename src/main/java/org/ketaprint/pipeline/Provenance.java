package org.ketaprint.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ketaprint.KetaprintException;

/** Checksums for provenance records and for --skip-existing. */
public final class Provenance {
    private Provenance() {
    }

    /**
     * SHA-256 helpers; file checksums are cached per (path, file key, size, modification time to the file system's
     * precision) within a run.
     */
    public static final class Hash {
        private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

        private Hash() {
        }

        public static String sha256(byte[] b) {
            return HexFormat.of().formatHex(digest().digest(b));
        }

        public static String sha256(Path p) {
            try {
                java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
                String key = p.toAbsolutePath() + "|" + a.fileKey() + "|" + a.size() + "|" + a.lastModifiedTime();
                String c = CACHE.get(key);
                if (c != null) return c;
                MessageDigest md = digest();
                byte[] buf = new byte[1 << 20];
                try (InputStream in = Files.newInputStream(p)) {
                    int n;
                    while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
                }
                String h = HexFormat.of().formatHex(md.digest());
                CACHE.put(key, h);
                return h;
            } catch (IOException e) {
                throw new KetaprintException(p + ": cannot read for checksum: " + e.getMessage());
            }
        }

        private static MessageDigest digest() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
