package org.selfsup.hardening;

import java.nio.file.Files;
import java.nio.file.Path;
import org.selfsup.data.BadImageException;
import org.selfsup.data.Image;
import org.selfsup.data.stream.ImageDecoder;

/**
 * A child JVM's entry point for {@link NativeNoiseTest}: decodes each file named on the command line twice
 * (as two epochs would) and prints one line per file on standard output, so that anything else on the
 * child's standard error came from native code.
 */
public final class DecodeFilesMain {
    private DecodeFilesMain() {}

    public static void main(String[] args) throws Exception {
        for (String a : args) {
            byte[] bytes = Files.readAllBytes(Path.of(a));
            String verdict = null;
            for (int epoch = 0; epoch < 2; epoch++) {
                try {
                    Image img = ImageDecoder.decode(bytes);
                    verdict = "DECODED " + Path.of(a).getFileName() + " " + img.width() + "x" + img.height();
                } catch (BadImageException e) {
                    verdict = "REFUSED " + Path.of(a).getFileName() + ": " + e.getMessage();
                }
            }
            System.out.println(verdict);
        }
        System.out.flush();
    }
}
