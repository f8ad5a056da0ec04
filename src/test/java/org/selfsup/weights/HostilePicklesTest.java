package org.selfsup.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.cli.CliRun;
import org.selfsup.util.UserException;

/**
 * torch.save files whose pickle is hostile (issue 22): shared containers (a graph walked as a tree),
 * deep nesting, classes and opcodes selfsup does not read. Each pickle is written here opcode by opcode
 * and zipped as {@code torch.save} lays it out ({@code archive/data.pkl}, {@code archive/data/KEY}).
 */
class HostilePicklesTest {
    @TempDir
    Path dir;

    /** A pickle written opcode by opcode (protocol 2). */
    static final class Pickle {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle() {
            op(0x80).op(2);
        }

        Pickle op(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        Pickle text(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** SHORT_BINUNICODE or BINUNICODE. */
        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length < 256) {
                op(0x8c, b.length);
                out.writeBytes(b);
                return this;
            }
            op('X').op(b.length & 0xFF, (b.length >> 8) & 0xFF, (b.length >> 16) & 0xFF, b.length >>> 24);
            out.writeBytes(b);
            return this;
        }

        /** BININT1. */
        Pickle small(int v) {
            return op('K', v);
        }

        /** GLOBAL module.name. */
        Pickle global(String module, String name) {
            return op('c').text(module + "\n" + name + "\n");
        }

        /** BINPUT or LONG_BINPUT: memoises the top of the stack under {@code i}. */
        Pickle put(int i) {
            return i < 256 ? op('q', i) : op('r', i & 0xFF, (i >> 8) & 0xFF, (i >> 16) & 0xFF, i >>> 24);
        }

        /** BINGET or LONG_BINGET: pushes the object memoised under {@code i}. */
        Pickle get(int i) {
            return i < 256 ? op('h', i) : op('j', i & 0xFF, (i >> 8) & 0xFF, (i >> 16) & 0xFF, i >>> 24);
        }

        /**
         * {@code _rebuild_tensor_v2} of a 1-element float tensor over storage {@code key}, as torch.save
         * writes it.
         */
        Pickle tensor(String key) {
            global("torch._utils", "_rebuild_tensor_v2").op('(');
            op('(').str("storage").global("torch", "FloatStorage").str(key).str("cpu").small(1).op('t', 'Q');
            small(0).small(1).op(0x85).small(1).op(0x85).op(0x89);
            global("collections", "OrderedDict").op(')', 'R');
            return op('t', 'R');
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** A torch.save zip holding {@code pickle} (ending it with STOP) and one 1-float storage per key. */
    Path save(String name, Pickle pickle, String... storages) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream os = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(os)) {
            stored(z, "archive/data.pkl", pickle.op('.').bytes());
            stored(z, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (String key : storages) {
                stored(z, "archive/data/" + key,
                        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.parseFloat(key) + 0.5f).array());
            }
        }
        return f;
    }

    /** An uncompressed entry, as torch.save writes them. */
    static void stored(ZipOutputStream z, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        z.putNextEntry(e);
        z.write(data);
    }

    private static String error(Path f) {
        UserException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(UserException.class, () -> WeightFiles.read(f)));
        String m = e.getMessage();
        assertTrue(m.startsWith(f + ": ") && !m.contains("\n"), "one line naming the file: " + m);
        return m;
    }

    /**
     * {@code levels} containers, each holding {@code fan} references to the one below (memoised: the
     * pickle is small, its tree has fan^levels paths); the bottom one is an empty list, or holds a tensor.
     */
    static Pickle shared(Pickle p, int levels, int fan, boolean dicts, boolean tensorAtBottom, int memoBase) {
        p.op(']');
        if (tensorAtBottom) {
            p.tensor("0").op('a');
        }
        p.put(memoBase).op('0'); // memoised, popped
        for (int k = 1; k <= levels; k++) {
            p.op(dicts ? '}' : ']').op('(');
            for (int i = 0; i < fan; i++) {
                if (dicts) {
                    p.str("k" + i);
                }
                p.get(memoBase + k - 1);
            }
            p.op(dicts ? 'u' : 'e').put(memoBase + k);
            if (k < levels) {
                p.op('0');
            }
        }
        return p;
    }

    /** Issue 22, item 2: 40 levels of 10 shared references (a 1.2 KB file) made flatten walk 10^40 paths. */
    @Test
    void sharedContainersAreWalkedOnceNotAsATree() throws IOException {
        for (boolean dicts : new boolean[] {false, true}) {
            Path bomb = save("bomb-" + dicts + ".pth", shared(new Pickle(), 40, 10, dicts, false, 0));
            assertTrue(Files.size(bomb) < (dicts ? 3000 : 1500), "a small file: " + Files.size(bomb));
            String b = error(bomb);
            assertTrue(b.contains("without any tensor"), b);
            // the same with a tensor at the bottom: a state dict never shares a container of tensors
            Path tensors = save("tensors-" + dicts + ".pth", shared(new Pickle(), 40, 10, dicts, true, 0), "0");
            String m = error(tensors);
            assertTrue(m.contains("the same container of tensors") && m.contains("'" + (dicts ? "k0.k0." : "0.0.")), m);
            // the shared graph as a dictionary key: Java would hash it path by path (Python refuses it: unhashable)
            Pickle key = new Pickle().op('}');
            shared(key, 40, 10, dicts, false, 0).small(1).op('s');
            m = error(save("key-" + dicts + ".pth", key));
            assertTrue(m.contains("as a dictionary key") && m.contains("unhashable"), m);
            // ... or as a member of a set built by builtins.set([...])
            Pickle set = new Pickle().global("builtins", "set").op(']', '(');
            shared(set, 40, 10, dicts, false, 0).op('e').op(0x85, 'R');
            m = error(save("set-" + dicts + ".pth", set));
            assertTrue(m.contains("set member") && m.contains("unhashable"), m);
        }
    }

    /**
     * What a state dict may legitimately share: a tensor under two keys (tied weights), and tensor-free
     * containers (an optimizer's param groups share their defaults' tuples); a shared 40-level graph of
     * such containers beside the state dict costs nothing.
     */
    @Test
    void sharedTensorsAndSharedTensorFreeContainersAreRead() throws IOException {
        Pickle p = new Pickle().op('}').op('(');
        p.str("meta");
        shared(p, 40, 10, false, false, 100);
        p.str("betas").small(9).small(99).op(0x86).put(200); // (9, 99), memoised
        p.str("betas2").get(200);
        p.str("state_dict").op('}').op('(').str("conv1.weight").tensor("0").put(300).str("fc.weight").get(300).op('u');
        p.op('u');
        Path f = save("tied.pth", p, "0");
        WeightFiles.Loaded l = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> WeightFiles.read(f));
        assertEquals(Set.of("state_dict.conv1.weight", "state_dict.fc.weight"), l.tensors().keySet());
        assertArrayEquals(new float[] {0.5f}, l.tensors().get("state_dict.fc.weight").floats());
    }

    /** A list that contains itself (a cycle): refused only when it holds tensors, else skipped. */
    @Test
    void cyclesDoNotLoop() throws IOException {
        Pickle p = new Pickle().op('}').op('(').str("w").tensor("0").str("loop").op(']').put(1).get(1).op('a').op('u');
        assertEquals(1, assertTimeoutPreemptively(Duration.ofSeconds(30), () -> WeightFiles.read(save("loop.pth", p, "0")))
                .tensors().size());
        Pickle q = new Pickle().op(']').put(1).tensor("0").op('a').get(1).op('a');
        String m = error(save("loop2.pth", q, "0"));
        assertTrue(m.contains("the same container of tensors"), m);
    }

    /** Issue 22, item 7: 200,000 nested lists (or dicts) were a bare StackOverflowError, exit 1. */
    @Test
    void deepNestingIsAOneLineError() throws IOException {
        int depth = 200_000;
        Pickle lists = new Pickle();
        for (int i = 0; i < depth; i++) {
            lists.op(']');
        }
        for (int i = 1; i < depth; i++) {
            lists.op('a');
        }
        String m = error(save("deep.pth", lists));
        assertTrue(m.contains("nested more than"), m);
        CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> CliRun.execute("import", "--from", dir.resolve("deep.pth").toString()));
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(dir.resolve("deep.pth") + ": its pickle is nested more than")
                && !r.err().contains("StackOverflowError") && !r.err().contains("\tat "), r.err());
        Pickle dicts = new Pickle();
        for (int i = 0; i < depth; i++) {
            dicts.op('}').str("k");
        }
        dicts.op(']');
        for (int i = 0; i < depth; i++) {
            dicts.op('s');
        }
        m = error(save("deep-dicts.pth", dicts));
        assertTrue(m.contains("nested more than"), m);
        // a deep persistent id (the unpickler's own message would print it whole)
        Pickle pid = new Pickle().op(')');
        for (int i = 0; i < depth; i++) {
            pid.op(0x85);
        }
        pid.op('Q');
        m = error(save("deep-pid.pth", pid));
        assertTrue(m.length() < 400, m);
    }

    /** Issue 22, item 13: the unpickling library's internals ("register a custom IObjectConstructor") were quoted. */
    @Test
    void unsupportedContentIsNamedNotTheLibrarysInternals() throws IOException {
        Pickle numpy = new Pickle().op('}').str("best_acc").global("numpy.core.multiarray", "scalar").small(1)
                .op(0x85, 'R', 's');
        String m = error(save("numpy.pth", numpy));
        assertTrue(m.contains("numpy.core.multiarray.scalar") && !m.contains("IObjectConstructor")
                && !m.contains("ClassDict"), m);

        Pickle append = new Pickle().small(1).small(2).op('a'); // APPEND to an integer
        m = error(save("append.pth", append));
        assertFalse(m.contains("cannot be cast") || m.contains("java.") || m.contains("Integer"), m);
        assertTrue(m.contains("not one torch.save writes"), m);

        Pickle setitem = new Pickle().op(']').small(1).small(2).op('s'); // SETITEM on a list
        m = error(save("setitem.pth", setitem));
        assertFalse(m.contains("cannot be cast") || m.contains("java."), m);

        Pickle memo = new Pickle().get(7); // a memo key never stored
        m = error(save("memo.pth", memo));
        assertTrue(m.contains("damaged") && !m.contains("memo key"), m);

        Pickle opcode = new Pickle().op(0xFE);
        m = error(save("opcode.pth", opcode));
        assertTrue(m.contains("opcode 0xfe") || m.contains("opcode 254"), m);

        Pickle shape = new Pickle().global("torch._utils", "_rebuild_tensor_v2").op('(');
        shape.op('(').str("storage").global("torch", "FloatStorage").str("0").str("cpu").small(1).op('t', 'Q');
        shape.small(0).small(1).small(1).op(0x89).op(')').op('t', 'R'); // size and stride not tuples
        m = error(save("shape.pth", shape, "0"));
        assertFalse(m.contains("cannot be cast") || m.contains("java."), m);
        assertTrue(m.contains("tensor"), m);

        Pickle huge = new Pickle().op('X', 0xF0, 0xFF, 0xFF, 0x7F).text("abc"); // a 2 GB string in a tiny file
        m = error(save("huge.pth", huge));
        assertTrue(m.contains("truncated or damaged"), m);

        Pickle truncated = new Pickle().op('}').str("a");
        byte[] cut = truncated.bytes();
        Path f = dir.resolve("cut.pth");
        try (OutputStream os = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(os)) {
            stored(z, "archive/data.pkl", java.util.Arrays.copyOf(cut, cut.length - 1));
        }
        m = error(f);
        assertTrue(m.contains("truncated"), m);
    }
}
