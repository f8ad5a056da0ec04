import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.selfsup.data.Image;
import org.selfsup.data.stream.ImageDecoder;

/**
 * selfsup side of the decoder parity check: decodes every file listed by tools/pil_decode_dump.py and
 * compares with PIL's arrays; prints files, values, identical % and max |diff|, the decoding CPU time per
 * file and the decoder used ({@code -Dselfsup.noTurboJpeg=true} forces the OpenCV fallback).
 * Run from the repository root after a build:
 *   java -cp target/classes:$(cat target/cp.txt) tools/DecodeParity.java DUMP_DIR
 */
public class DecodeParity {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<String> files = Files.readAllLines(dir.resolve("list"));
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuNanos = 0;
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
        // Timing: a second pass over the files' bytes in memory, after the first has warmed everything up.
        List<byte[]> all = new java.util.ArrayList<>();
        for (String f : files) {
            all.add(Files.readAllBytes(Path.of(f)));
        }
        long t0 = mx.getCurrentThreadCpuTime();
        for (byte[] b : all) {
            ImageDecoder.decode(b);
        }
        cpuNanos = mx.getCurrentThreadCpuTime() - t0;
        System.out.printf("%d files, %d values, identical %.4f%%, max |diff| %d; %.2f ms of CPU per file to decode (second"
                + " pass); decoder: %s%n", files.size(), total, 100.0 * same / total, maxDiff,
                cpuNanos / 1e6 / files.size(), ImageDecoder.describe());
        System.exit(maxDiff == 0 ? 0 : 1);
    }
}
