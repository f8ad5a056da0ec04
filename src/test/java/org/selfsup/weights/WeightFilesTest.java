package org.selfsup.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.util.UserException;

class WeightFilesTest {
    @TempDir
    Path dir;

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(WeightFilesTest.class.getResource("/weights/" + name).toURI());
    }

    @Test
    void safetensorsRoundTripKeepsOrderValuesAndMetadata() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("b.weight", Tensor.f32(new long[] {2, 2}, new float[] {1, -2, 3.5f, Float.MIN_VALUE}));
        t.put("a.num_batches_tracked", Tensor.i64(new long[0], new long[] {Long.MAX_VALUE}));
        t.put("empty", Tensor.f32(new long[] {0, 3}, new float[0]));
        Path f = dir.resolve("x.safetensors");
        Safetensors.write(f, t, Map.of("arch", "resnet18"));
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8, "data 8-byte aligned");
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(java.util.List.of("b.weight", "a.num_batches_tracked", "empty"), java.util.List.copyOf(c.tensors().keySet()));
        assertArrayEquals(t.get("b.weight").floats(), c.tensors().get("b.weight").floats());
        assertArrayEquals(new long[] {Long.MAX_VALUE}, c.tensors().get("a.num_batches_tracked").longs());
        assertEquals(DType.I64, c.tensors().get("a.num_batches_tracked").dtype());
        assertArrayEquals(new long[] {0, 3}, c.tensors().get("empty").shape());
        assertEquals("resnet18", c.metadata().get("arch"));
    }

    /** A file with the given header text and data bytes, the header length field set to {@code claimed}. */
    private Path raw(String header, int dataBytes, long claimed) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(claimed).put(h);
        Path f = dir.resolve("bad-" + System.nanoTime() + ".safetensors");
        Files.write(f, b.array());
        return f;
    }

    private Path raw(String header, int dataBytes) throws IOException {
        return raw(header, dataBytes, header.getBytes(StandardCharsets.UTF_8).length);
    }

    private static String error(Path f) {
        return assertThrows(UserException.class, () -> Safetensors.read(f)).getMessage();
    }

    @Test
    void refusesLyingHeaders() throws IOException {
        String ok = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertEquals(1, Safetensors.read(raw(ok, 8)).tensors().size());
        assertTrue(error(raw(ok, 8, 1L << 40)).contains("does not fit"), "header length beyond the file");
        assertTrue(error(raw(ok, 8, -5)).contains("does not fit"), "negative (huge unsigned) header length");
        assertTrue(error(raw(ok, 4)).contains("outside"), "offsets beyond the data");
        assertTrue(error(raw(ok, 12)).contains("cover 8 of the 12"), "trailing bytes");
        assertTrue(error(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)).contains("needs 12"));
        assertTrue(error(raw("{\"w\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8)).contains("unknown dtype"));
        assertTrue(error(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)).contains("overlapping"));
        assertTrue(error(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)).contains("gap"));
        assertTrue(error(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", 8))
                .contains("impossible"), "element count overflow");
        assertTrue(error(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,8]}}", 8)).contains("non-negative"));
        assertTrue(error(raw("{\"w\": [1, 2", 8)).contains("not valid JSON"));
        assertTrue(error(raw("{\"w\":{},\"w\":{}}", 0)).contains("not valid JSON"), "duplicate names");
    }

    @Test
    void readDetectsFormatByContent() throws IOException {
        Path text = dir.resolve("weights.safetensors");
        Files.writeString(text, "hello, I am not a tensor file");
        assertTrue(assertThrows(UserException.class, () -> WeightFiles.read(text)).getMessage()
                .contains("neither a safetensors file nor a PyTorch checkpoint"));
        Path zip = dir.resolve("a.pth");
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            z.write(1);
        }
        assertTrue(assertThrows(UserException.class, () -> WeightFiles.read(zip)).getMessage()
                .contains("not a torch.save file"));
        assertTrue(assertThrows(UserException.class, () -> WeightFiles.read(dir.resolve("none"))).getMessage()
                .contains("does not exist"));
    }

    @Test
    void readsTorchSaveZipWithNestingViewsAndDtypes() throws Exception {
        WeightFiles.Loaded l = WeightFiles.read(fixture("nested.pth"));
        Map<String, Tensor> t = l.tensors();
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, t.get("state_dict.module.conv1.weight").floats());
        assertArrayEquals(new long[] {3, 2}, t.get("state_dict.module.bn1.weight").shape());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, t.get("state_dict.module.bn1.weight").floats(), "transposed view");
        assertArrayEquals(new float[] {0.5f, -2f, 65504f}, t.get("state_dict.module.half").floats());
        assertEquals(DType.F16, t.get("state_dict.module.half").dtype());
        assertArrayEquals(new float[] {1.25f}, t.get("state_dict.module.double").floats());
        assertArrayEquals(new long[] {7}, t.get("state_dict.module.bn1.num_batches_tracked").longs());
        assertArrayEquals(new float[] {2, 3, 4}, t.get("state_dict.module.slice").floats(), "storage offset");

        WeightFiles.Selected auto = WeightFiles.select(l, null);
        assertEquals("state_dict.module.", auto.prefix());
        assertTrue(auto.note().contains("stripped the prefix 'state_dict.module.'"));
        assertTrue(auto.tensors().containsKey("conv1.weight"));
        assertEquals("state_dict.module.", WeightFiles.select(l, "module.").prefix(), "prefix after wrapping keys");
        assertTrue(assertThrows(UserException.class, () -> WeightFiles.select(l, "encoder_q.")).getMessage()
                .contains("'state_dict.module.'"), "lists the state dicts there are");
    }

    @Test
    void legacyTorchSaveIsRefusedWithAWayOut() {
        String msg = assertThrows(UserException.class, () -> WeightFiles.read(fixture("legacy.pth"))).getMessage();
        assertTrue(msg.contains("legacy") && msg.contains("re-save"), msg);
    }

    @Test
    void truncatedTorchSaveIsAUserError() throws Exception {
        byte[] all = Files.readAllBytes(fixture("nested.pth"));
        Path cut = dir.resolve("cut.pth");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        assertThrows(UserException.class, () -> WeightFiles.read(cut));
    }

    @Test
    void halfPrecisionDecodes() {
        assertEquals(1f, TensorBytes.halfToFloat((short) 0x3C00));
        assertEquals(-2f, TensorBytes.halfToFloat((short) 0xC000));
        assertEquals(5.9604645e-8f, TensorBytes.halfToFloat((short) 0x0001));
        assertTrue(Float.isNaN(TensorBytes.halfToFloat((short) 0x7E00)));
        assertEquals(Float.NEGATIVE_INFINITY, TensorBytes.halfToFloat((short) 0xFC00));
    }
}
