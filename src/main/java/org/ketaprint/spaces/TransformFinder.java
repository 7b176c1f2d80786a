package org.ketaprint.spaces;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ketaprint.bids.BidsFile;
import org.ketaprint.bids.BidsLayout;

/**
 * Finds a subject's transform in the derivatives by its BIDS entities:
 * {@code sub-X[_ses-Y]_from-<A>_to-<B>_mode-image_xfm.{h5,txt,mat}}, as fMRIPrep/QSIPrep write them.
 * "mode-image" means: resamples an image in space A onto space B.
 */
public final class TransformFinder {
    private static final List<String> EXT_ORDER = List.of(".h5", ".txt", ".mat");

    private TransformFinder() {
    }

    /**
     * The transform that resamples images from {@code fromSpace} to {@code toSpace} (a generic MNI152 also
     * matches its MNI152NLin6Asym / MNI152NLin2009cAsym transforms); prefers .h5, then .txt, then .mat.
     * A session-less file also serves every session.
     */
    public static Optional<Path> find(BidsLayout layout, String sub, String ses, String fromSpace, String toSpace) {
        for (String from : Spaces.namesFor(fromSpace)) {
            for (String to : Spaces.namesFor(toSpace)) {
                Optional<Path> p = findExact(layout, sub, ses, from, to);
                if (p.isPresent()) return p;
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> findExact(BidsLayout layout, String sub, String ses, String from, String to) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("from", from);
        q.put("to", to);
        q.put("mode", "image");
        q.put("suffix", "xfm");
        q.put("extension", String.join("|", EXT_ORDER));
        List<BidsFile> hits = layout.find(sub, ses, q);
        return hits.stream()
            .min((a, b) -> Integer.compare(EXT_ORDER.indexOf(a.extension()), EXT_ORDER.indexOf(b.extension())))
            .map(BidsFile::path);
    }

    /** The expected file name pattern, for messages. */
    public static String pattern(String sub, String ses, String fromSpace, String toSpace) {
        return "sub-" + sub + (ses == null ? "" : "_ses-" + ses) + "_from-" + Spaces.normalize(fromSpace)
            + "_to-" + Spaces.normalize(toSpace) + "_mode-image_xfm.{h5,txt,mat}";
    }
}
