package org.selfsup.data.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.selfsup.data.BadImagePolicy;
import org.selfsup.data.DataOptions;
import org.selfsup.data.Image;
import org.selfsup.data.TestPictures;
import org.selfsup.util.UserException;

/**
 * Every kind of bad file in a streamed image folder, under {@code --on-bad-image skip} and {@code fail}:
 * found by the header check when the folder is indexed (left out, one warning) or only when decoded
 * (its place taken by the next readable image, one warning); with fail, an error naming the file.
 */
class BadImagesTest {
    @TempDir
    Path dir;

    /** Whether the header check finds the file (true) or only the decoder (false). */
    enum Found { INDEX, DECODE }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("zero.jpg", (Supplier<byte[]>) () -> new byte[0], Found.INDEX, "empty file (0 bytes)"),
                Arguments.of("text.jpg", (Supplier<byte[]>) () -> "hello, not a picture\n".getBytes(StandardCharsets.UTF_8),
                        Found.INDEX, "not an image"),
                Arguments.of("layers.png", (Supplier<byte[]>) () -> "8BPS\0\1\0\0\0\0\0\0\0\3".getBytes(StandardCharsets.ISO_8859_1),
                        Found.INDEX, "unsupported image format (Photoshop PSD)"),
                Arguments.of("bomb.png", (Supplier<byte[]>) BadImagesTest::hugePng, Found.INDEX, "header claims 30000x30000 pixels"),
                Arguments.of("bomb.jpg", (Supplier<byte[]>) () -> patchSof(golden("jpeg-420-q90.jpg"), 30000, 30000),
                        Found.INDEX, "header claims 30000x30000 pixels"),
                Arguments.of("truncated.jpg", (Supplier<byte[]>) () -> cut(golden("jpeg-420-q90.jpg"), 0.6),
                        Found.DECODE, "image file is truncated"),
                Arguments.of("truncated-progressive.jpg", (Supplier<byte[]>) () -> cut(golden("jpeg-progressive.jpg"), 0.8),
                        Found.DECODE, "image file is truncated"),
                Arguments.of("corrupt.jpg", (Supplier<byte[]>) () -> bogusHuffman(golden("jpeg-444-q95.jpg")),
                        Found.DECODE, "cannot decode JPEG data"),
                Arguments.of("truncated.png", (Supplier<byte[]>) () -> cut(golden("png-rgb.png"), 0.7),
                        Found.DECODE, "image file is truncated"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badFileIsSkippedOnceOrFailsNamingIt(String file, Supplier<byte[]> content, Found found, String reason)
            throws IOException {
        Path train = dir.resolve("train");
        for (int i = 0; i < 3; i++) {
            TestPictures.jpeg(train.resolve("a/good" + i + ".jpg"), 20 + i, 14, i);
        }
        Path bad = train.resolve("a/" + file);
        Files.write(bad, content.get());
        // sorted: the bad file sits before or between good ones; remember the good images' pixels
        DataOptions skip = new DataOptions();
        String[] log = new String[1];
        StreamedImages s = captureErr(log, () -> ImageFolderReader.read("t", train, null, skip));
        int badIndex = indexOf(s, bad);
        if (found == Found.INDEX) {
            assertEquals(3, s.size());
            assertEquals(-1, badIndex);
            assertEquals(1, count(log[0], bad.toString()), log[0]);
            assertTrue(log[0].contains(reason), log[0]);
            assertTrue(s.notes().get(0).contains("1 unreadable file(s) skipped"), s.notes().toString());
        } else {
            assertEquals(4, s.size());
            Image next = s.rgb((badIndex + 1) % 4);
            String[] decodeLog = new String[1];
            Image substitute = captureErr(decodeLog, () -> {
                s.rgb(badIndex);
                return s.rgb(badIndex); // asked twice: warned once
            });
            assertArrayEquals(next.data(), substitute.data(), "the next readable image takes the bad one's place");
            assertEquals(1, count(decodeLog[0], bad.toString()), decodeLog[0]);
            assertTrue(decodeLog[0].contains(reason), decodeLog[0]);
        }
        DataOptions fail = new DataOptions();
        fail.onBadImage = BadImagePolicy.FAIL;
        UserException e = assertThrows(UserException.class, () -> {
            StreamedImages f = ImageFolderReader.read("t", train, null, fail);
            for (int i = 0; i < f.size(); i++) {
                f.rgb(i);
            }
        });
        assertTrue(e.getMessage().startsWith(bad.toString() + ": ") && e.getMessage().contains(reason), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("linkAndPermissionCases")
    void linkLoopsAndUnreadableFilesAreSkippedOrFail(String what, String reason) throws Exception {
        Path train = dir.resolve("train");
        TestPictures.jpeg(train.resolve("a/good.jpg"), 20, 14, 1);
        Path bad;
        if (what.equals("symlink loop")) {
            bad = Files.createSymbolicLink(train.resolve("a/loop"), train.resolve("a"));
        } else if (what.equals("dangling link")) {
            bad = Files.createSymbolicLink(train.resolve("a/gone.jpg"), train.resolve("a/missing.jpg"));
        } else if (what.equals("file link loop")) {
            bad = Files.createSymbolicLink(train.resolve("a/x.jpg"), train.resolve("a/y.link"));
            Files.createSymbolicLink(train.resolve("a/y.link"), train.resolve("a/x.jpg"));
        } else if (what.equals("fifo")) {
            bad = train.resolve("a/pipe.jpg");
            assertEquals(0, new ProcessBuilder("mkfifo", bad.toString()).inheritIO().start().waitFor());
        } else if (what.equals("device link")) {
            bad = Files.createSymbolicLink(train.resolve("a/null.jpg"), Path.of("/dev/null"));
        } else {
            bad = TestPictures.jpeg(train.resolve("a/secret.jpg"), 20, 14, 2);
            Files.setPosixFilePermissions(bad, PosixFilePermissions.fromString("---------"));
            Assumptions.assumeFalse(Files.isReadable(bad), "running as root: permissions do not stop reads");
        }
        String[] log = new String[1];
        StreamedImages s = captureErr(log, () -> ImageFolderReader.read("t", train, null, new DataOptions()));
        assertEquals(1, s.size());
        assertTrue(log[0].contains(reason), log[0]);
        DataOptions fail = new DataOptions();
        fail.onBadImage = BadImagePolicy.FAIL;
        UserException e = assertThrows(UserException.class, () -> ImageFolderReader.read("t", train, null, fail));
        assertTrue(e.getMessage().startsWith(bad.toString()) && e.getMessage().contains(reason), e.getMessage());
    }

    static Stream<Arguments> linkAndPermissionCases() {
        return Stream.of(Arguments.of("symlink loop", "symbolic link loop"),
                Arguments.of("no read permission", "permission denied"),
                Arguments.of("dangling link", "dangling symbolic link"),
                Arguments.of("file link loop", "symbolic link loop"),
                Arguments.of("fifo", "not a regular file"),
                Arguments.of("device link", "not a regular file"));
    }

    /** A 1x1 picture is a valid image (torchvision upsamples it like any other): it decodes and streams. */
    @org.junit.jupiter.api.Test
    void onePixelImageIsAccepted() throws Exception {
        Path train = dir.resolve("train");
        Files.createDirectories(train.resolve("a"));
        Files.write(train.resolve("a/dot.jpg"), golden("jpeg-1x1.jpg"));
        StreamedImages s = ImageFolderReader.read("t", train, null, new DataOptions());
        assertEquals(1, s.rgb(0).width());
    }

    // ---- helpers ----

    static byte[] golden(String name) {
        try {
            return ImageDecoderTest.resource(name);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] cut(byte[] b, double fraction) {
        return Arrays.copyOf(b, (int) (b.length * fraction));
    }

    static byte[] patchSof(byte[] b, int w, int h) {
        byte[] out = b.clone();
        for (int i = 2; i + 8 < out.length; i++) {
            if ((out[i] & 0xFF) == 0xFF && ((out[i + 1] & 0xFF) == 0xC0 || (out[i + 1] & 0xFF) == 0xC2)) {
                out[i + 5] = (byte) (h >> 8);
                out[i + 6] = (byte) h;
                out[i + 7] = (byte) (w >> 8);
                out[i + 8] = (byte) w;
                return out;
            }
        }
        throw new IllegalStateException("no SOF");
    }

    /** The first Huffman table's code counts all set to 255: libjpeg's "Bogus Huffman table definition". */
    static byte[] bogusHuffman(byte[] b) {
        byte[] out = b.clone();
        for (int i = 2; i + 20 < out.length; i++) {
            if ((out[i] & 0xFF) == 0xFF && (out[i + 1] & 0xFF) == 0xC4) {
                Arrays.fill(out, i + 5, i + 21, (byte) 0xFF);
                return out;
            }
        }
        throw new IllegalStateException("no DHT");
    }

    static byte[] hugePng() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(30000).putInt(30000).put((byte) 8)
                .put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 3, 0, 0, 0, 0, 1});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        crc.update(t);
        crc.update(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static int indexOf(StreamedImages s, Path file) {
        for (int i = 0; i < s.size(); i++) {
            if (s.source(i).file().equals(file)) {
                return i;
            }
        }
        return -1;
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    /** Runs {@code body} with System.err captured into {@code out[0]} (slf4j-simple writes warnings there). */
    static <T> T captureErr(String[] out, java.util.concurrent.Callable<T> body) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            return body.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            System.setErr(old);
            out[0] = buf.toString(StandardCharsets.UTF_8);
        }
    }
}
