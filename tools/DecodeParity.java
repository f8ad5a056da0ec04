import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.selfsup.data.Image;
import org.selfsup.data.ImageDecoder;

/**
 * selfsup side of the decoder parity check: decodes every file listed by tools/pil_decode_dump.py and
 * compares with PIL's arrays; prints files, values, identical % and max |diff|, and the decoder used.
 * Run from the repository root after a build:
 *   java -cp target/classes:$(cat target/cp.txt) tools/DecodeParity.java DUMP_DIR
 */
public class DecodeParity {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<String> files = Files.readAllLines(dir.resolve("list"));
        long total = 0;
        long same = 0;
        int maxDiff = 0;
        for (int i = 0; i < files.size(); i++) {
            byte[] ref = Files.readAllBytes(dir.resolve(i + ".rgb"));
            Image img = ImageDecoder.decode(Files.readAllBytes(Path.of(files.get(i))));
            byte[] got = img.data();
            if (got.length != ref.length) {
                System.out.println(files.get(i) + ": size differs from PIL's");
                System.exit(1);
            }
            for (int k = 0; k < got.length; k++) {
                int d = Math.abs((got[k] & 0xFF) - (ref[k] & 0xFF));
                maxDiff = Math.max(maxDiff, d);
                same += d == 0 ? 1 : 0;
            }
            total += got.length;
        }
        System.out.printf("%d files, %d values, identical %.4f%%, max |diff| %d; decoder: %s%n", files.size(), total,
                100.0 * same / total, maxDiff, ImageDecoder.describe());
        System.exit(maxDiff == 0 ? 0 : 1);
    }
}
