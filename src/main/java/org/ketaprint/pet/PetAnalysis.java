package org.ketaprint.pet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Grid;

/**
 * Regional values of a static PET image: per ROI the mean concentration, SUV (mean x weight x 1000 / dose), SUVR
 * (mean / the reference's mean) and, with a PSF, the GTM-corrected SUVR. NaN voxels are left out of every region.
 * The segmentation (aseg labels on the PET grid) gives the reference and the GTM's tissue classes.
 */
public final class PetAnalysis {
    /** Labels that are not brain tissue (ventricles, CSF): left out of the whole-brain reference. */
    static final Set<Integer> NOT_TISSUE = Set.of(4, 5, 14, 15, 24, 43, 44);

    /** One ROI's values (NaN: n/a). */
    public record RoiValue(String name, String spec, int voxels, double mean, double suv, double suvr, double suvrPvc) {
    }

    /** One GTM region. */
    public record Region(String name, int voxels, double observed, double corrected) {
    }

    /** Everything computed. */
    public record Result(String referenceSpec, int referenceVoxels, double referenceMean, List<RoiValue> rois,
                         double suvFactor, String suvNa, Double fwhm, double[] sigma, List<Region> regions, List<String> notes) {
    }

    private PetAnalysis() {
    }

    /** The reference region on the grid: cerebellum (aseg 8 + 47), wholebrain, pons (174), aseg:N+M; else null. */
    public static boolean[] asegReference(String spec, double[] labels) {
        String s = spec.trim();
        Set<Integer> wanted;
        if (s.equals("cerebellum")) {
            wanted = Set.of(8, 47);
        } else if (s.equals("pons")) {
            wanted = Set.of(174);
        } else if (s.startsWith("aseg:")) {
            wanted = labelsOf(s.substring(5), spec);
        } else if (s.equals("wholebrain")) {
            if (labels == null) throw new KetaprintException("reference 'wholebrain' needs a segmentation (aseg)");
            boolean[] m = new boolean[labels.length];
            for (int v = 0; v < m.length; v++) m[v] = labels[v] > 0 && !NOT_TISSUE.contains((int) labels[v]);
            return m;
        } else {
            return null;
        }
        if (labels == null) throw new KetaprintException("reference '" + spec + "' needs a segmentation (aseg)");
        return mask(labels, wanted);
    }

    /** An {@code aseg:N+M} ROI: those labels of the segmentation on the PET grid (an error without one). */
    public static boolean[] asegMask(String spec, double[] labels) {
        if (labels == null) throw new KetaprintException("ROI '" + spec + "' needs a segmentation (aseg)");
        return mask(labels, labelsOf(spec.substring(spec.indexOf(':') + 1), spec));
    }

    static Set<Integer> labelsOf(String text, String spec) {
        Set<Integer> out = new java.util.LinkedHashSet<>();
        for (String p : text.split("\\+")) {
            try {
                out.add(Integer.parseInt(p.trim()));
            } catch (NumberFormatException e) {
                throw new KetaprintException("'" + spec + "': aseg labels are numbers joined by + (e.g. aseg:8+47)");
            }
        }
        return out;
    }

    static boolean[] mask(double[] labels, Set<Integer> wanted) {
        boolean[] m = new boolean[labels.length];
        for (int v = 0; v < m.length; v++) m[v] = wanted.contains((int) labels[v]) && labels[v] == Math.rint(labels[v]);
        return m;
    }

    private static int[] indices(boolean[] m, double[] image) {
        int n = 0;
        for (int v = 0; v < m.length; v++) if (m[v] && !Double.isNaN(image[v])) n++;
        int[] idx = new int[n];
        for (int v = 0, k = 0; v < m.length; v++) if (m[v] && !Double.isNaN(image[v])) idx[k++] = v;
        return idx;
    }

    /**
     * {@code rois}: name to (spec text, mask on the grid); {@code labels}: the segmentation on the grid (null: none;
     * then no PVC); {@code fwhm}: the PSF in mm (null: no PVC).
     */
    public static Result run(StaticImage img, PetTiming timing, Map<String, Map.Entry<String, boolean[]>> rois,
                             String referenceSpec, boolean[] reference, double[] labels, Double fwhm, Double weightKg,
                             Double doseOverrideBq) {
        Grid g = img.grid();
        double[] c = img.values();
        List<String> notes = new ArrayList<>();
        int[] ref = indices(reference, c);
        if (ref.length == 0) throw new KetaprintException("the reference region (" + referenceSpec + ") has no voxel with a value on the PET grid");
        double refMean = Gtm.mean(c, ref);
        if (!(refMean > 0)) throw new KetaprintException("the reference region's mean (" + refMean + " Bq/mL) is not positive");
        String suvNa = timing.suvNa(weightKg, doseOverrideBq);
        double factor = Double.NaN;
        if (suvNa == null) factor = weightKg * 1000 / timing.doseAtDecayCorrection(doseOverrideBq);
        Map<String, int[]> roiIdx = new LinkedHashMap<>();
        for (var e : rois.entrySet()) roiIdx.put(e.getKey(), indices(e.getValue().getValue(), c));
        Map<String, Double> pvc = new LinkedHashMap<>();
        List<Region> regions = new ArrayList<>();
        double[] sigma = null;
        if (fwhm != null) {
            if (labels == null) throw new KetaprintException("partial-volume correction needs a segmentation (aseg)");
            if (!(fwhm > 0)) throw new KetaprintException("pvc FWHM must be a positive number of mm, got " + fwhm);
            sigma = Gaussian.sigmaVoxels(g, fwhm);
            // regions in priority order: a voxel belongs to the first that claims it
            List<String> names = new ArrayList<>(rois.keySet());
            List<boolean[]> masks = new ArrayList<>();
            for (var e : rois.values()) masks.add(e.getValue());
            names.add("reference");
            masks.add(reference);
            names.add("cortex");
            masks.add(mask(labels, Set.of(3, 42)));
            names.add("white_matter");
            masks.add(mask(labels, Set.of(2, 41)));
            names.add("csf");
            masks.add(mask(labels, Set.of(24)));
            boolean[] taken = new boolean[g.size()];
            List<int[]> regionIdx = new ArrayList<>();
            List<String> kept = new ArrayList<>();
            for (int r = 0; r < names.size(); r++) {
                boolean[] m = masks.get(r).clone();
                for (int v = 0; v < m.length; v++) if (taken[v]) m[v] = false;
                int[] idx = indices(m, c);
                for (int v : idx) taken[v] = true;
                if (idx.length == 0) {
                    notes.add("GTM region '" + names.get(r) + "' is empty on the PET grid and left out");
                    continue;
                }
                regionIdx.add(idx);
                kept.add(names.get(r));
            }
            if (!kept.contains("reference")) throw new KetaprintException("the reference region is taken whole by the ROIs in the GTM");
            Gtm.Result res = Gtm.solve(g, c, regionIdx, sigma);
            for (int r = 0; r < kept.size(); r++) {
                regions.add(new Region(kept.get(r), regionIdx.get(r).length, res.observed()[r], res.corrected()[r]));
                pvc.put(kept.get(r), res.corrected()[r]);
            }
        }
        List<RoiValue> out = new ArrayList<>();
        for (var e : rois.entrySet()) {
            String name = e.getKey();
            int[] idx = roiIdx.get(name);
            double mean = idx.length == 0 ? Double.NaN : Gtm.mean(c, idx);
            double pv = Double.NaN;
            if (fwhm != null && pvc.containsKey(name)) pv = pvc.get(name) / pvc.get("reference");
            out.add(new RoiValue(name, e.getValue().getKey(), idx.length, mean, mean * factor, mean / refMean, pv));
        }
        return new Result(referenceSpec, ref.length, refMean, out, factor, suvNa, fwhm, sigma, regions, notes);
    }
}
