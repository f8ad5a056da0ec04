package org.selfsup.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22 item 11: around selfsup's one-line messages, nothing from native libraries on standard error —
 * no {@code libpng error: ...} for a damaged PNG (OpenCV leaves libpng its default handler, which prints),
 * and no libtorch paragraph saying {@code AutoNonVariableTypeMode is deprecated} from every command that
 * builds a model. Both print from C code, so they are checked in child JVMs.
 */
class NativeNoiseTest {
    @TempDir
    Path dir;

    @Test
    void damagedPngsAreRefusedWithoutLibpngMessages() throws Exception {
        byte[] good = png(24, 16, false);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("good.png", good);
        files.put("golden-rgb.png", Files.readAllBytes(Path.of("src/test/resources/decode/png-rgb.png")));
        files.put("truncated.png", Arrays.copyOf(good, good.length * 2 / 3));
        byte[] flipped = good.clone();
        flipped[idat(good) + 8 + 5] ^= 0x40; // a data byte: the chunk's CRC no longer matches
        files.put("crc.png", flipped);
        files.put("zlib.png", recrc(flipped.clone(), idat(good))); // CRC fixed: the zlib stream is corrupt
        files.put("filter.png", png(24, 16, true)); // valid zlib and CRC, filter type 9 in a row
        // what PIL 9.4 reads past decodes, repaired for libpng, and quietly too
        files.put("no-iend.png", Arrays.copyOf(good, good.length - 12));
        byte[] idatCrc = good.clone();
        idatCrc[idat(good) + 8 + java.nio.ByteBuffer.wrap(good, idat(good), 4).getInt()] ^= 0x01;
        files.put("idat-crc-only.png", idatCrc);
        files.put("tail-cut.png", Arrays.copyOf(good, good.length - 5));
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.write(p, f.getValue());
            args.add(p.toString());
        }
        String[] outErr = child(DecodeFilesMain.class.getName(), args, Map.of());
        String out = outErr[0];
        String err = outErr[1];
        for (String ok : List.of("good.png", "no-iend.png", "idat-crc-only.png", "tail-cut.png")) {
            assertTrue(out.contains("DECODED " + ok + " 24x16"), ok + ": " + out + err);
        }
        assertTrue(out.contains("DECODED golden-rgb.png"), out + err);
        for (String bad : List.of("truncated.png", "crc.png", "zlib.png", "filter.png")) {
            assertTrue(out.contains("REFUSED " + bad + ": "), bad + ": " + out + err);
        }
        assertFalse(err.contains("libpng"), "native messages on standard error: " + err);
        assertEquals("", err.strip(), "standard error: " + err);
    }

    @Test
    void buildingAModelPrintsNoLibtorchWarning() throws Exception {
        List<String> args = List.of("bench", "step", "--arch", "small", "--width", "4", "--batch", "2", "--size", "8",
                "--steps", "1", "--warmup", "0", "--device", "cpu");
        String[] quiet = child(org.selfsup.cli.Main.class.getName(), args, Map.of());
        assertTrue(quiet[0].contains("bench step"), quiet[0] + quiet[1]);
        assertFalse((quiet[0] + quiet[1]).contains("AutoNonVariableTypeMode"), quiet[1]);
        // PyTorch's own variable brings libtorch's warnings back
        String[] loud = child(org.selfsup.cli.Main.class.getName(), args, Map.of("TORCH_CPP_LOG_LEVEL", "WARNING"));
        assertTrue((loud[0] + loud[1]).contains("AutoNonVariableTypeMode"), loud[0] + loud[1]);
    }

    /** Runs {@code mainClass args} in a child JVM; returns its standard output and standard error. */
    private String[] child(String mainClass, List<String> args, Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx256m", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", mainClass));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().remove("TORCH_CPP_LOG_LEVEL");
        pb.environment().putAll(env);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "child did not finish");
        String o = Files.readString(out);
        String e = Files.readString(err);
        assertEquals(0, p.exitValue(), o + e);
        return new String[] {o, e};
    }

    /** An RGB PNG; with {@code badFilter} its second row has filter type 9 (zlib and CRCs valid). */
    private static byte[] png(int w, int h, boolean badFilter) throws Exception {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int y = 0; y < h; y++) {
            raw.write(badFilter && y == 1 ? 9 : 0);
            for (int x = 0; x < w * 3; x++) {
                raw.write((x * 7 + y * 13) & 0xFF);
            }
        }
        Deflater d = new Deflater();
        d.setInput(raw.toByteArray());
        d.finish();
        byte[] buf = new byte[1 << 16];
        int n = d.deflate(buf);
        d.end();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(w).putInt(h);
        ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", ihdr.array());
        chunk(png, "IDAT", Arrays.copyOf(buf, n));
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** Offset of the first IDAT chunk (its length field). */
    private static int idat(byte[] png) {
        int pos = 8;
        while (!new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1).equals("IDAT")) {
            pos += 12 + java.nio.ByteBuffer.wrap(png, pos, 4).getInt();
        }
        return pos;
    }

    /** Recomputes the CRC of the chunk at {@code pos}. */
    private static byte[] recrc(byte[] png, int pos) {
        int n = java.nio.ByteBuffer.wrap(png, pos, 4).getInt();
        CRC32 crc = new CRC32();
        crc.update(png, pos + 4, 4 + n);
        java.nio.ByteBuffer.wrap(png, pos + 8 + n, 4).putInt((int) crc.getValue());
        return png;
    }
}
