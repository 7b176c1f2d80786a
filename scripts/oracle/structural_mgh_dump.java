// Prints what ketaprint reads from MGH/MGZ files as JSON (used by structural_volumes.sh).
// Run with the single-file source launcher:
//   java -cp 'target/ketaprint-0.1.0.jar:target/lib/*' scripts/oracle/structural_mgh_dump.java FILE...
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;

class MghDump {
    public static void main(String[] args) throws Exception {
        ObjectMapper m = new ObjectMapper();
        ObjectNode all = m.createObjectNode();
        for (String f : args) {
            Image img = Images.open(Path.of(f));
            ObjectNode o = all.putObject(f);
            o.put("class", img.getClass().getSimpleName());
            ArrayNode shape = o.putArray("shape");
            for (long s : img.shape()) shape.add(s);
            o.put("dtype", img.datatypeName());
            ArrayNode aff = o.putArray("affine");
            for (int r = 0; r < 4; r++) {
                ArrayNode row = aff.addArray();
                for (int c = 0; c < 4; c++) row.add(img.affine().get(r, c));
            }
            double tr = img.repetitionTime();
            if (Double.isNaN(tr)) {
                o.putNull("tr_s");
            } else {
                o.put("tr_s", tr);
            }
            ArrayNode data = o.putArray("data"); // volume after volume, x fastest
            for (long t = 0; t < img.volumes(); t++) {
                for (double v : img.readVolumeDouble(t)) data.add(v);
            }
        }
        System.out.println(m.writeValueAsString(all));
    }
}
