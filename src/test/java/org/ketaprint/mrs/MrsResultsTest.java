package org.ketaprint.mrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.mrs.MrsResults.Metabolite;

/**
 * The three readers on the hand-written samples of test-data/mrs (README there: the numbers written, the tool
 * versions, the sources), and on broken copies of them.
 */
class MrsResultsTest {
    static final Path DIR = Path.of("test-data", "mrs");
    static final Path LCM = DIR.resolve("lcmodel").resolve("sub-01_svs.table");
    static final Path LCM_CR = DIR.resolve("lcmodel").resolve("cr-reference.table");
    static final Path FSL = DIR.resolve("fsl-mrs").resolve("sub-01_fit");
    static final Path OSPREY_ONE = DIR.resolve("osprey").resolve("single");
    static final Path OSPREY_TWO = DIR.resolve("osprey").resolve("two-datasets");

    @TempDir
    Path tmp;

    static void assertMetabolite(MrsResults r, String lookup, String name, double conc, Double crlb, Double ratio) {
        Metabolite m = r.metabolite(lookup);
        assertTrue(m != null, lookup + " not found in " + r.metabolites().keySet());
        assertEquals(name, m.name(), lookup);
        assertEquals(conc, m.concentration(), 0.0, lookup + " concentration");
        assertEquals(crlb, m.crlbPercent(), lookup + " CRLB");
        assertEquals(ratio, m.ratioTcr(), lookup + " ratio");
    }

    static String message(Runnable r) {
        KetaprintException e = assertThrows(KetaprintException.class, r::run);
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    Path copyWith(Path from, String name, String oldText, String newText) throws IOException {
        String s = Files.readString(from, StandardCharsets.UTF_8);
        assertTrue(s.contains(oldText), "sample lacks '" + oldText + "'");
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, s.replace(oldText, newText), StandardCharsets.UTF_8);
        return p;
    }

    // ------------------------------------------------------------------ LCModel

    @Test
    void lcmodelTable() {
        MrsResults r = MrsResults.read(LCM, "lcmodel");
        assertEquals("lcmodel", r.tool());
        assertEquals(LCM.toString(), r.source());
        assertMetabolite(r, "Glu", "Glu", 9.840, 4.0, 1.230);
        assertMetabolite(r, "Gln", "Gln", 2.960, 16.0, 0.370);
        assertMetabolite(r, "Glx", "Glu+Gln", 12.800, 4.0, 1.600);
        assertMetabolite(r, "Glu+Gln", "Glu+Gln", 12.800, 4.0, 1.600);
        assertMetabolite(r, "tCr", "Cr+PCr", 8.000, 3.0, 1.000);
        assertMetabolite(r, "tNAA", "NAA+NAAG", 9.656, 3.0, 1.207);
        assertMetabolite(r, "tCho", "GPC+PCh", 1.232, 6.0, 0.154);
        assertMetabolite(r, "NAAG", "NAAG", 0.056, 143.0, 0.007);    // E forms 5.60E-02 and 7.0E-03
        assertMetabolite(r, "Ala", "Ala", 0.416, 38.0, 0.052);
        assertMetabolite(r, "Lac", "Lac", 0.0, 999.0, 0.0);          // 0.000 999%
        assertMetabolite(r, "Tau", "Tau", 1.200, 25.0, 0.150);       // 0.150+Tau: LCModel's ratio-prior flag
        assertSame(r.metabolite("Glx"), r.metabolite("Glu+Gln"));
        assertSame(r.metabolite("glu"), r.metabolite("Glu"));
        assertEquals(19 + 4, r.metabolites().size());
        assertEquals(0.056, r.fwhmPpm());
        assertNull(r.fwhmHz());
        assertEquals(22.0, r.snr());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("flagged Tau (+)")), r.notes().toString());
        assertTrue(r.notes().stream().anyMatch(n -> n.equals("LCModel $$DIAG: 1 info FINOUT 4")), r.notes().toString());
        assertFalse(r.notes().stream().anyMatch(n -> n.contains("ATTH2O") || n.contains("ATTMET") || n.contains("DOWS")),
            r.notes().toString());
        assertThrows(UnsupportedOperationException.class, () -> r.metabolites().put("x", null));
        assertEquals(r, LcmodelTable.read(LCM));
    }

    @Test
    void lcmodelCrReferenceZeroInEFormCrLfAndDefaultAttenuation() {
        MrsResults r = MrsResults.read(LCM_CR, "LCModel");
        assertMetabolite(r, "Gln", "Gln", 0.0, 999.0, 0.0);          // 0.000E+00 999%   0.000 Gln
        assertMetabolite(r, "Glu", "Glu", 8.910, 6.0, 1.212);
        assertMetabolite(r, "Glx", "Glu+Gln", 8.910, 6.0, 1.212);
        assertMetabolite(r, "Cr", "Cr", 7.350, 5.0, 1.000);
        assertNull(r.metabolite("tCr"));
        assertEquals(0.071, r.fwhmPpm());
        assertEquals(9.0, r.snr());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("ratio column is /Cr")), r.notes().toString());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("ATTH2O = 0.7 (its default")), r.notes().toString());
        assertFalse(r.notes().stream().anyMatch(n -> n.startsWith("Conc. includes LCModel's ATTMET")), r.notes().toString());
    }

    @Test
    void lcmodelWithoutGluNamesGluAndTheFile() throws IOException {
        Path p = copyWith(LCM, "noglu.table", "    9.840   4%   1.230 Glu\n", "    9.840   4%   1.230 Ser\n");
        String m = message(() -> MrsResults.read(p, "lcmodel"));
        assertTrue(m.startsWith(p.toString() + ": "), m);
        assertTrue(m.contains("no Glu"), m);
        assertTrue(m.contains("Glu+Gln"), m);  // the list of what the table has
    }

    @Test
    void lcmodelSd999IsRead() throws IOException {
        Path p = copyWith(LCM, "sd999.table", "    9.840   4%   1.230 Glu", " 2.10E-02 999% 2.6E-03 Glu");
        MrsResults r = LcmodelTable.read(p);
        assertMetabolite(r, "Glu", "Glu", 0.021, 999.0, 0.0026);
    }

    @Test
    void lcmodelTruncatedInTheConcentrationTable() throws IOException {
        String s = Files.readString(LCM);
        Path p = tmp.resolve("cut.table");
        Files.writeString(p, s.substring(0, s.indexOf("    6.240   5%")));
        String m = message(() -> LcmodelTable.read(p));
        assertTrue(m.startsWith(p.toString() + ": "), m);
        assertTrue(m.contains("$$CONC announces 19 rows after its header, the file has 8 (truncated?)"), m);

        Path mid = tmp.resolve("midline.table");
        Files.writeString(mid, s.substring(0, s.indexOf("1.230 Glu") + 3));
        m = message(() -> LcmodelTable.read(mid));
        assertTrue(m.contains("$$CONC announces 19 rows after its header, the file has 8 (truncated?)"), m);
        Path lastRowCut = tmp.resolve("lastrow.table");
        Files.writeString(lastRowCut, s.substring(0, s.indexOf("1.600 Glu+Gln") + 3));
        m = message(() -> LcmodelTable.read(lastRowCut));
        assertTrue(m.equals(lastRowCut + ": no $$MISC section after the $$CONC table (truncated?)"), m);

        Path noMisc = tmp.resolve("nomisc.table");
        Files.writeString(noMisc, s.substring(0, s.indexOf("$$MISC")));
        assertTrue(message(() -> LcmodelTable.read(noMisc)).contains("no $$MISC section"));

        Path miscCut = tmp.resolve("misccut.table");
        Files.writeString(miscCut, s.substring(0, s.indexOf("  FWHM =")));
        assertTrue(message(() -> LcmodelTable.read(miscCut)).contains("no 'FWHM = ... ppm    S/N = ...' line"));

        Path afterMisc = tmp.resolve("aftermisc.table");
        Files.writeString(afterMisc, s.substring(0, s.indexOf("$$DIAG")));
        MrsResults r = LcmodelTable.read(afterMisc);
        assertEquals(9.840, r.metabolite("Glu").concentration());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("no $$DIAG section")), r.notes().toString());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("no $$INPU section")), r.notes().toString());
    }

    @Test
    void lcmodelNonNumbers() throws IOException {
        Path letter = copyWith(LCM, "letter.table", "    9.840   4%   1.230 Glu", "    9.84O   4%   1.230 Glu");
        String m = message(() -> LcmodelTable.read(letter));
        assertTrue(m.equals(letter + ": line 13: Conc. '9.84O' is not a number"), m);
        Path stars = copyWith(LCM, "stars.table", "    9.840   4%   1.230 Glu", " ********   4%   1.230 Glu");
        assertTrue(message(() -> LcmodelTable.read(stars)).contains("Conc. '********' is not a number"));
        Path java = copyWith(LCM, "java.table", "    9.840   4%   1.230 Glu", " Infinity   4%   1.230 Glu");
        assertTrue(message(() -> LcmodelTable.read(java)).contains("is not a number"));
        Path dform = copyWith(LCM, "d.table", "    9.840   4%   1.230 Glu", "    9.840   4%     1d0 Glu");
        assertTrue(message(() -> LcmodelTable.read(dform)).contains("ratio '1d0' is not a number"));
        Path sd = copyWith(LCM, "sd.table", "    9.840   4%   1.230 Glu", "    9.840   4.5%   1.230 Glu");
        assertTrue(message(() -> LcmodelTable.read(sd)).contains("%SD '4.5%' is not a whole number"));
        Path noName = copyWith(LCM, "noname.table", "    9.840   4%   1.230 Glu", "    9.840   4%   1.230");
        assertTrue(message(() -> LcmodelTable.read(noName)).contains("line 13: a $$CONC row without a metabolite name"));
        Path fwhm = copyWith(LCM, "fwhm.table", "FWHM = 0.056 ppm", "FWHM = 0.0S6 ppm");
        assertTrue(message(() -> LcmodelTable.read(fwhm)).contains("line 27: FWHM (ppm) '0.0S6' is not a number"));
    }

    @Test
    void lcmodelFlagsSectionsAndNotes() throws IOException {
        Path below = copyWith(LCM, "below.table", "0.150+Tau", "0.150-Tau");
        assertTrue(LcmodelTable.read(below).notes().stream().anyMatch(n -> n.contains("flagged Tau (-)") && n.contains("below")));
        Path eflag = copyWith(LCM, "eflag.table", " 5.2E-02 Ala", " 5.2E-02+Ala");
        assertMetabolite(LcmodelTable.read(eflag), "Ala", "Ala", 0.416, 38.0, 0.052);
        Path other = copyWith(LCM, "naa.table", "%SD /Cr+PCr  Metabolite", "%SD   /NAA   Metabolite");
        MrsResults r = LcmodelTable.read(other);
        assertNull(r.metabolite("Glu").ratioTcr());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("/NAA, not total creatine")), r.notes().toString());
        Path noConc = tmp.resolve("noconc.table");
        Files.writeString(noConc, " LCModel (Version 6.3-1N)\n\n$$DIAG  1 lines in following diagnostic table:\n   1 FATAL     MYDATA  3\n");
        String m = message(() -> LcmodelTable.read(noConc));
        assertTrue(m.contains("no $$CONC section") && m.contains("1 FATAL MYDATA 3"), m);
        Path empty = tmp.resolve("empty.table");
        Files.writeString(empty, "\n\n");
        assertTrue(message(() -> LcmodelTable.read(empty)).contains("empty file"));
        assertTrue(message(() -> LcmodelTable.read(tmp.resolve("absent.table"))).contains("no such file"));
        assertTrue(message(() -> LcmodelTable.read(tmp)).contains("is a directory"));
        Path noHeader = copyWith(LCM, "nohead.table", "    Conc.  %SD /Cr+PCr  Metabolite\n", "");
        assertTrue(message(() -> LcmodelTable.read(noHeader)).contains("expected the column header"));
        Path att = copyWith(LCM, "att.table", " atth2o=1.0\n attmet=1.0\n", " ATTH2O = 0.7,\n attmet=1.0\n");
        assertTrue(LcmodelTable.read(att).notes().stream().anyMatch(n -> n.contains("ATTH2O = 0.7:")));
        Path nodows = copyWith(LCM, "nodows.table", " dows=T\n", " dows=F\n");
        assertTrue(LcmodelTable.read(nodows).notes().stream().anyMatch(n -> n.contains("does not set DOWS=T")));
        Path snr = copyWith(LCM, "snr.table", "S/N =  22", "S/N =  -1");
        MrsResults s = LcmodelTable.read(snr);
        assertNull(s.snr());
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("could not compute S/N")));
    }

    // ------------------------------------------------------------------ FSL-MRS

    @Test
    void fslMrsFolder() {
        MrsResults r = MrsResults.read(FSL, "fsl-mrs");
        assertEquals("fsl-mrs", r.tool());
        assertEquals(FSL.resolve("summary.csv").toString(), r.source());
        assertMetabolite(r, "Glu", "Glu", 10.265, 5.41, 1.1406);
        assertMetabolite(r, "Gln", "Gln", 3.012, 17.37, 0.3347);
        assertMetabolite(r, "Glx", "Glu+Gln", 13.277, 4.43, 1.4753);
        assertMetabolite(r, "tCr", "Cr+PCr", 9.0, 2.65, 1.0);
        assertMetabolite(r, "tNAA", "NAA+NAAG", 12.43, 2.41, 1.3811);
        assertMetabolite(r, "tCho", "PCh+GPC", 1.1079, 6.96, 0.1231);
        assertMetabolite(r, "GABA", "GABA", 0.0, 999.0, 0.0);
        assertEquals(14 + 4, r.metabolites().size());
        assertEquals(7.35, r.fwhmHz());
        assertEquals(48.7, r.snr());
        assertNull(r.fwhmPpm());
        assertEquals(List.of(), r.notes());
        assertEquals(r, MrsResults.read(FSL.resolve("summary.csv"), "fsl"));
    }

    @Test
    void fslMrsBadInput() throws IOException {
        Path noGlu = copyWith(FSL.resolve("summary.csv"), "noglu/summary.csv", "\nGlu,", "\nGlx2,");
        String m = message(() -> FslMrsResults.read(noGlu.getParent()));
        assertTrue(m.startsWith(noGlu + ": ") && m.contains("no Glu in summary.csv"), m);

        String s = Files.readString(FSL.resolve("summary.csv"));
        Path cut = tmp.resolve("cut/summary.csv");
        Files.createDirectories(cut.getParent());
        Files.writeString(cut, s.substring(0, s.indexOf("6.58,0.4013")));
        m = message(() -> FslMrsResults.read(cut));
        assertTrue(m.equals(cut + ": line 7 has 4 fields, the header has 10 (truncated?)"), m);

        Path word = copyWith(FSL.resolve("summary.csv"), "word/summary.csv", "1.1406,0.0702,10.265", "1.1406,0.0702,ten");
        m = message(() -> FslMrsResults.read(word));
        assertTrue(m.equals(word + ": line 6: mMol/kg of Glu 'ten' is not a number"), m);

        Path noWater = tmp.resolve("nowater/summary.csv");
        Files.createDirectories(noWater.getParent());
        Files.writeString(noWater, "Metab,/Cr+PCr,/Cr+PCr CRLB,%CRLB,SNR,FWHM\nGlu,1.1,0.1,5.0,20.0,7.0\n");
        m = message(() -> FslMrsResults.read(noWater.getParent()));
        assertTrue(m.contains("no 'mMol/kg' column") && m.startsWith(noWater.toString()), m);

        Path emptyGlu = copyWith(FSL.resolve("summary.csv"), "emptyglu/summary.csv", "1.1406,0.0702,10.265", "1.1406,0.0702,");
        assertTrue(message(() -> FslMrsResults.read(emptyGlu)).contains("line 6: Glu has no mMol/kg value"));

        assertTrue(message(() -> FslMrsResults.read(tmp)).contains("no summary.csv"));
    }

    @Test
    void fslMrsTissueFractionsAndMissingQc() throws IOException {
        Path dir = tmp.resolve("tissue");
        Files.createDirectories(dir);
        Files.copy(FSL.resolve("summary.csv"), dir.resolve("summary.csv"));
        Files.writeString(dir.resolve("quantification_info.csv"),
            Files.readString(FSL.resolve("quantification_info.csv")).replace("GM,0.78,,", "GM,0.78,0.6,")
                .replace("WM,0.65,,", "WM,0.65,0.3,").replace("CSF,0.97,,", "CSF,0.97,0.1,"));
        MrsResults r = FslMrsResults.read(dir);
        assertEquals(48.7, r.snr());  // from summary.csv's own SNR and FWHM columns
        assertEquals(7.35, r.fwhmHz());
        assertTrue(r.notes().contains("no qc.csv next to summary.csv: SNR and FWHM taken from summary.csv"), r.notes().toString());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("already tissue-corrected") && n.contains("GM 0.6, WM 0.3, CSF 0.1")),
            r.notes().toString());
    }

    // ------------------------------------------------------------------ Osprey

    @Test
    void ospreySingleDataset() {
        MrsResults r = MrsResults.read(OSPREY_ONE, "osprey");
        assertEquals("osprey", r.tool());
        assertEquals(OSPREY_ONE.resolve("QuantifyResults").resolve("A_rawWaterScaled_Voxel_1_Basis_1.tsv").toString(), r.source());
        assertMetabolite(r, "Glu", "Glu", 10.118, null, 1.09921);
        assertMetabolite(r, "Gln", "Gln", 2.844, null, 0.30637);
        assertMetabolite(r, "Glx", "Glx", 12.962, null, 1.40558);
        assertMetabolite(r, "tCr", "tCr", 9.283, null, 1.0);
        assertMetabolite(r, "mI", "mI", 6.035, null, 0.65011);
        assertEquals(15, r.metabolites().size());
        assertEquals(6.87, r.fwhmHz());
        assertEquals(142.31, r.snr());
        assertNull(r.fwhmPpm());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("Cr peak's FWHM")), r.notes().toString());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("CRLBs only for LCModel")), r.notes().toString());
        assertEquals(r, OspreyTables.read(OSPREY_ONE.resolve("QuantifyResults"), 1));
        assertEquals(r, OspreyTables.read(OSPREY_ONE.resolve("QuantifyResults").resolve("A_tCr_Voxel_1_Basis_1.tsv"), 0));
    }

    @Test
    void ospreyTwoDatasetsLcmodelFit() {
        Path raw = OSPREY_TWO.resolve("QuantifyResults").resolve("A_rawWaterScaled_Voxel_1_Basis_1.tsv");
        String m = message(() -> MrsResults.read(OSPREY_TWO, "osprey"));
        assertTrue(m.startsWith(raw + ": holds 2 datasets"), m);
        MrsResults second = OspreyTables.read(raw, 2);
        assertMetabolite(second, "Glu", "Glu", 9.877, 5.0, 1.1412);
        assertMetabolite(second, "Glx", "Glx", 13.202, 4.0, 1.5254);
        assertMetabolite(second, "GABA", "GABA", 1.118, 41.0, 0.1292);
        assertEquals(6.48, second.fwhmHz());   // NAA_FWHM, Osprey up to 2.1.0
        assertEquals(171.2, second.snr());
        assertEquals(List.of(), second.notes());
        MrsResults first = OspreyTables.read(OSPREY_TWO, 1);
        assertMetabolite(first, "Glu", "Glu", 9.502, 5.0, 1.134);
        assertNull(first.metabolite("GABA"));   // NaN in row 1
        assertTrue(first.notes().contains("GABA has no rawWaterScaled value: left out"), first.notes().toString());
        assertEquals(5.91, first.fwhmHz());
        assertTrue(message(() -> OspreyTables.read(OSPREY_TWO, 3)).contains("has 2 datasets, not 3"));
    }

    @Test
    void ospreyBadInput() throws IOException {
        Path q = OSPREY_ONE.resolve("QuantifyResults");
        Path dir = tmp.resolve("out/QuantifyResults");
        Files.createDirectories(dir);
        String raw = Files.readString(q.resolve("A_rawWaterScaled_Voxel_1_Basis_1.tsv"));
        Path rawFile = dir.resolve("A_rawWaterScaled_Voxel_1_Basis_1.tsv");

        Files.writeString(rawFile, raw.replace("\tGlu\t", "\tGlx1\t"));
        String m = message(() -> OspreyTables.read(tmp.resolve("out"), 0));
        assertTrue(m.startsWith(rawFile + ": no Glu in the rawWaterScaled table"), m);

        Files.writeString(rawFile, raw.substring(0, raw.indexOf("\t10.118")));
        m = message(() -> OspreyTables.read(tmp.resolve("out"), 0));
        assertTrue(m.equals(rawFile + ": line 2 has 5 fields, the header has 15 (truncated?)"), m);

        Files.writeString(rawFile, raw.replace("10.118", "10.1.18"));
        m = message(() -> OspreyTables.read(dir, 0));
        assertTrue(m.equals(rawFile + ": line 2: Glu '10.1.18' is not a number"), m);

        Files.writeString(rawFile, raw);
        Files.writeString(dir.resolve("A_tCr_Voxel_1_Basis_1.tsv"), Files.readString(q.resolve("A_tCr_Voxel_1_Basis_1.tsv")) + "1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12\t13\t14\t15\n");
        assertTrue(message(() -> OspreyTables.read(dir, 0)).contains("A_tCr_Voxel_1_Basis_1.tsv: has 2 rows"));

        Files.delete(dir.resolve("A_tCr_Voxel_1_Basis_1.tsv"));
        MrsResults r = OspreyTables.read(dir, 0);
        assertNull(r.metabolite("Glu").ratioTcr());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("QM_processed_spectra.tsv")), r.notes().toString());

        Files.delete(rawFile);
        Files.writeString(dir.resolve("A_tCr_Voxel_1_Basis_1.tsv"), Files.readString(q.resolve("A_tCr_Voxel_1_Basis_1.tsv")));
        assertTrue(message(() -> OspreyTables.read(dir, 0)).contains("no *_rawWaterScaled_Voxel_1_Basis_*.tsv"));
        m = message(() -> OspreyTables.read(dir.resolve("A_tCr_Voxel_1_Basis_1.tsv"), 0));
        assertTrue(m.startsWith(rawFile + ": no such file: Osprey writes rawWaterScaled only when given water data"), m);
        Path other = tmp.resolve("results.tsv");
        Files.writeString(other, "Glu\n1\n");
        assertTrue(message(() -> OspreyTables.read(other, 0)).contains("not an Osprey quantification table name"));
    }

    @Test
    void demoTables() {
        Path demo = Path.of("test-data", "demo-bids", "derivatives", "lcmodel");
        double[][] glu = new double[2][2];
        for (int s = 0; s < 2; s++) {
            for (int t = 0; t < 2; t++) {
                String sub = "sub-0" + (s + 1);
                String ses = t == 0 ? "ses-pre" : "ses-post";
                Path p = demo.resolve(sub).resolve(ses).resolve("mrs").resolve(sub + "_" + ses + "_voi-pgacc_svs.table");
                MrsResults r = MrsResults.read(p, "lcmodel");
                glu[s][t] = r.metabolite("Glu").concentration();
                assertTrue(r.fwhmPpm() >= 0.05 && r.fwhmPpm() <= 0.07, p + " " + r.fwhmPpm());
                assertTrue(r.snr() >= 15 && r.snr() <= 30, p + " " + r.snr());
                assertEquals(1.0, r.metabolite("tCr").ratioTcr());
                assertEquals(r.metabolite("Glu").concentration() + r.metabolite("Gln").concentration(),
                    r.metabolite("Glx").concentration(), 1e-9);
                assertEquals(List.of(), r.notes(), p.toString());
                double glnSd = r.metabolite("Gln").crlbPercent();
                assertEquals(s == 1 && t == 0, glnSd > 20, p + " Gln %SD " + glnSd);
                for (String m : List.of("Glu", "Glx", "tCr", "tNAA")) assertTrue(r.metabolite(m).crlbPercent() <= 20, p + " " + m);
            }
        }
        assertEquals(9.2, glu[0][0]);
        assertEquals(10.1, glu[0][1]);
        assertTrue(glu[1][1] <= glu[1][0]);
        assertEquals(25.0, MrsResults.read(demo.resolve("sub-02/ses-pre/mrs/sub-02_ses-pre_voi-pgacc_svs.table"), "lcmodel")
            .metabolite("Gln").crlbPercent());
    }

    @Test
    void unknownToolAndNames() {
        assertTrue(message(() -> MrsResults.read(LCM, "tarquin")).contains("unknown MRS tool 'tarquin'"));
        assertEquals("Glx", MrsResults.normalised("Gln+Glu"));
        assertEquals("Glx", MrsResults.normalised("Glu_Gln"));
        assertEquals("tCr", MrsResults.normalised("Cre+PCr"));
        assertEquals("tCr", MrsResults.normalised("PCr+Cr"));
        assertNull(MrsResults.normalised("MM14+Lip13a+Lip13b+MM12"));
        assertNull(MrsResults.normalised("Glu"));
    }
}
