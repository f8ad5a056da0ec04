package org.selfsup.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;
import org.selfsup.util.IoMessages;
import org.selfsup.util.UserException;

/**
 * Reader of PyTorch {@code torch.save} files ({@code .pth}/{@code .pt}) in the zip format PyTorch has
 * written since 1.6: {@code ARCHIVE/data.pkl} (a pickle whose tensors refer to storages by persistent
 * id) and one entry {@code ARCHIVE/data/KEY} of raw little-endian bytes per storage.
 *
 * <p>The pickle is read by Razorvine's Unpickler (protocols 0 to 5), which executes no Python code:
 * {@code torch._utils._rebuild_tensor_v2}, {@code _rebuild_parameter}, {@code collections.OrderedDict}
 * and the {@code torch.*Storage} types are handled here; any other class becomes a plain dictionary.
 * Storage sizes are checked against their zip entries before anything is allocated from them. The
 * legacy format (before PyTorch 1.6, not a zip) is refused with a message saying how to convert it.
 * A hostile pickle is refused in one line naming the file and what it holds that selfsup does not read
 * (never the library's own wording): a class built from arguments, an unhashable dictionary key (whose
 * Java hash would walk a shared graph path by path), a length beyond the pickle's end, a nesting deep
 * enough to exhaust the stack. The graph it yields may share objects; {@link WeightFiles} walks it once.
 */
public final class TorchCheckpoint {
    private TorchCheckpoint() {}

    static {
        for (String storage : List.of("FloatStorage", "DoubleStorage", "HalfStorage", "BFloat16Storage",
                "LongStorage", "IntStorage", "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage")) {
            Unpickler.registerConstructor("torch", storage, new StorageType(DType.ofTorchStorage(storage)));
        }
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", TorchCheckpoint::rebuildTensor);
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor", TorchCheckpoint::rebuildTensor);
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", args -> args[0]);
        Unpickler.registerConstructor("collections", "OrderedDict", args -> new OrderedDict());
    }

    /** A refusal worded for the user: what the file holds that selfsup does not read. */
    private static final class Unreadable extends PickleException {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    /**
     * Razorvine's unpickler with the checks it lacks, made before an opcode runs: a dictionary key or
     * set member must be hashable in Python (a number, string, tuple... never a list, dict or set, whose
     * Java hash walks the whole, possibly shared, graph below it), and a length read from the pickle
     * must fit the bytes that are left (else a 4-byte length allocates up to 2 GB).
     */
    private static final class CheckedUnpickler extends Unpickler {
        private final java.util.function.Function<Object, Object> persistent;

        CheckedUnpickler(java.util.function.Function<Object, Object> persistent) {
            this.persistent = persistent;
        }

        @Override
        protected Object persistentLoad(Object pid) {
            return persistent.apply(pid);
        }

        @Override
        protected Object dispatch(short key) throws PickleException, IOException {
            switch (key) {
                case Opcodes.SETITEM -> {
                    Object value = stack.pop();
                    hashable(stack.peek());
                    stack.add(value);
                }
                case Opcodes.REDUCE -> { // builtins.set(list): the list's items become set members
                    Object args = stack.pop();
                    if (stack.peek() instanceof net.razorvine.pickle.objects.SetConstructor
                            && args instanceof Object[] a && a.length > 0 && a[0] instanceof java.util.Collection<?> c) {
                        c.forEach(CheckedUnpickler::hashable);
                    }
                    stack.add(args);
                }
                case Opcodes.SETITEMS, Opcodes.DICT -> sinceMark(2);
                case Opcodes.ADDITEMS, Opcodes.FROZENSET -> sinceMark(1);
                case Opcodes.BINSTRING, Opcodes.BINUNICODE, Opcodes.BINBYTES, Opcodes.LONG4 -> length(4);
                case Opcodes.BINUNICODE8, Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> length(8);
                default -> { }
            }
            return super.dispatch(key);
        }

        /** Checks every {@code step}-th item since the mark (dictionary keys, or set members). */
        private void sinceMark(int step) {
            List<Object> items = stack.pop_all_since_marker();
            stack.add_mark();
            items.forEach(stack::add);
            for (int i = 0; i < items.size(); i += step) {
                hashable(items.get(i));
            }
        }

        private static void hashable(Object key) {
            if (key instanceof Map<?, ?> || key instanceof java.util.Collection<?>) {
                throw new Unreadable("its pickle uses " + describe(key) + " as a dictionary key or set member, which "
                        + "Python itself cannot load (unhashable)");
            }
        }

        /** The little-endian length of {@code bytes} bytes that follows the opcode must fit the rest of the pickle. */
        private void length(int bytes) throws IOException {
            if (!input.markSupported()) {
                return;
            }
            input.mark(bytes);
            byte[] b = input.readNBytes(bytes);
            input.reset();
            long n = 0;
            for (int i = b.length - 1; i >= 0; i--) {
                n = (n << 8) | (b[i] & 0xFF);
            }
            if (b.length < bytes || n < 0 || n > input.available() - bytes) { // read unsigned: a negative int is huge
                throw new Unreadable("its pickle is truncated or damaged (a string or number of " + n + " bytes, "
                        + Math.max(0, input.available() - bytes) + " left)");
            }
        }
    }

    /**
     * What a pickle the unpickling library refused holds, in selfsup's words (the library's messages
     * speak of its own classes: "register a custom IObjectConstructor").
     */
    static String inOwnWords(String libraryMessage) {
        String m = libraryMessage == null ? "" : libraryMessage;
        java.util.regex.Matcher c = java.util.regex.Pattern
                .compile("construction of ClassDict \\(for ([^)]{1,200})\\)").matcher(m);
        if (c.find()) {
            return "holds a Python object of class " + c.group(1) + ", which selfsup does not read (it reads "
                    + "tensors in dictionaries, lists and tuples, beside numbers and strings)";
        }
        if (m.startsWith("invalid pickle opcode:")) {
            String code = m.substring("invalid pickle opcode:".length()).strip();
            try {
                code = String.format(java.util.Locale.ROOT, "0x%02x", Integer.parseInt(code) & 0xFF);
            } catch (NumberFormatException e) {
                // keep the text
            }
            return "its pickle is damaged or not one torch.save writes (unknown opcode " + code + ")";
        }
        if (m.startsWith("unsupported pickle protocol:")) {
            return "its pickle uses protocol " + m.substring("unsupported pickle protocol:".length()).strip()
                    + "; selfsup reads protocols 0 to 5";
        }
        if (m.contains("premature end of file")) {
            return "its pickle is truncated";
        }
        if (m.contains("invalid memo key")) {
            return "its pickle is damaged (it refers to an object it never stored)";
        }
        if (m.contains("EXT1/EXT2/EXT4")) {
            return "its pickle uses copyreg extension codes, which selfsup does not read";
        }
        if (m.contains("keyword arguments")) {
            return "holds a Python object built with keyword arguments, which selfsup does not read";
        }
        if (m.contains("__setstate__")) {
            return "holds a Python object whose state selfsup cannot restore";
        }
        if (m.contains("out-of-band")) {
            return "holds out-of-band buffers (pickle protocol 5), which selfsup does not read";
        }
        return "its pickle holds something selfsup does not read ("
                + (m.length() > 160 ? m.substring(0, 160) + "..." : m) + ")";
    }

    /** A {@code torch.XStorage} class named in a persistent id. */
    private record StorageType(DType dtype) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new Unreadable("holds a torch storage object outside a tensor, which selfsup does not read");
        }
    }

    /** A storage read from the archive: its element type and raw bytes. */
    private record Storage(DType dtype, ByteBuffer bytes, long elements) {}

    /**
     * {@code collections.OrderedDict}; a state dict's {@code _metadata} attribute arrives through
     * {@code __setstate__} and is dropped.
     */
    public static final class OrderedDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;

        /** Called by the unpickler's BUILD opcode (attributes such as {@code _metadata}). */
        public void __setstate__(HashMap<?, ?> state) {
            // attributes are not state-dict entries
        }
    }

    /** Whether {@code head} (the first bytes of a file) starts a zip archive. */
    static boolean isZip(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    /** Whether {@code head} starts a bare pickle (PyTorch's legacy format). */
    static boolean isPickle(byte[] head) {
        return head.length >= 2 && (head[0] & 0xFF) == 0x80 && head[1] >= 2 && head[1] <= 5;
    }

    /**
     * The object a {@code torch.save} file holds, with tensors as {@link Tensor} and dictionaries as
     * {@link Map}.
     *
     * @throws UserException naming the file and what is wrong with it
     */
    public static Object read(Path file) {
        WeightFiles.Head h = WeightFiles.head(file);
        long fileSize = h.size();
        byte[] head = h.bytes();
        if (isPickle(head)) {
            throw new UserException(file + ": a legacy (pre-1.6, non-zip) torch.save file, which is not supported; "
                    + "re-save it with PyTorch >= 1.6: torch.save(torch.load(f), f2)");
        }
        if (!isZip(head)) {
            throw new UserException(file + ": not a PyTorch checkpoint (a torch.save zip archive)");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = archivePrefix(zip, file);
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null) {
                String bo = new String(readEntry(zip, order, 16, file), StandardCharsets.US_ASCII).trim();
                if (!bo.equals("little")) {
                    throw new UserException(file + ": stored in " + bo + "-endian byte order, only little-endian "
                            + "is supported");
                }
            }
            ZipEntry pkl = zip.getEntry(prefix + "data.pkl");
            byte[] pickle = readEntry(zip, pkl, fileSize * 64, file);
            Map<String, Storage> storages = new HashMap<>();
            Unpickler unpickler = new CheckedUnpickler(pid -> storage(pid, zip, prefix, fileSize, storages, file));
            try {
                return unpickler.loads(pickle);
            } catch (UserException e) {
                throw e;
            } catch (Unreadable e) {
                throw new UserException(file + ": " + e.getMessage(), e);
            } catch (PickleException e) {
                throw new UserException(file + ": " + inOwnWords(e.getMessage()), e);
            } catch (IOException e) {
                // the pickle is in memory: reading it fails only when it ends early
                throw new UserException(file + ": its pickle is truncated (" + e.getMessage() + ")", e);
            } catch (StackOverflowError e) {
                throw new UserException(file + ": its pickle nests objects too deeply to read (a torch.save state dict "
                        + "is a few levels deep)");
            } catch (RuntimeException e) {
                // the unpickler's own casts and indexes failing: an opcode applied to an object it does not fit
                throw new UserException(file + ": its pickle is not one torch.save writes (an operation on an object "
                        + "of the wrong kind, e.g. appending to a number)", e);
            } finally {
                unpickler.close();
            }
        } catch (ZipException e) {
            throw new UserException(file + ": not a valid zip archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UserException(file + ": cannot read: " + IoMessages.reason(e), e);
        }
    }

    /** The entry-name prefix ({@code ARCHIVE/}) of the archive's {@code data.pkl}. */
    private static String archivePrefix(ZipFile zip, Path file) {
        List<String> found = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            String name = en.nextElement().getName();
            if (name.equals("data.pkl") || name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - 9) {
                found.add(name.substring(0, name.length() - "data.pkl".length()));
            }
        }
        if (found.size() != 1) {
            throw new UserException(file + ": a zip archive but not a torch.save file (" + found.size()
                    + " top-level data.pkl entries, expected one)");
        }
        return found.get(0);
    }

    private static Storage storage(Object pid, ZipFile zip, String prefix, long fileSize, Map<String, Storage> cache,
                                   Path file) {
        if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0])) {
            throw new Unreadable("holds an external reference (persistent id) that is not a torch storage: "
                    + describe(pid));
        }
        if (!(t[1] instanceof StorageType type)) {
            throw new Unreadable("holds a storage of a type selfsup does not read: " + describe(t[1]));
        }
        if (!(t[2] instanceof String key) || !(t[4] instanceof Number count)) {
            throw new Unreadable("holds a storage reference whose key or size is not as torch.save writes it: "
                    + describe(pid));
        }
        long elements = count.longValue();
        Storage cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        ZipEntry entry = zip.getEntry(prefix + "data/" + key);
        if (entry == null) {
            throw new UserException(file + ": storage '" + key + "' is missing from the archive");
        }
        long bytes = elements * type.dtype().bytes();
        if (elements < 0 || bytes / type.dtype().bytes() != elements || bytes > Integer.MAX_VALUE - 8) {
            throw new UserException(file + ": storage '" + key + "' claims " + elements + " elements");
        }
        if (entry.getSize() >= 0 && entry.getSize() != bytes) {
            throw new UserException(file + ": storage '" + key + "' holds " + entry.getSize() + " bytes, its "
                    + elements + " " + type.dtype() + " elements need " + bytes);
        }
        byte[] data = readEntry(zip, entry, Math.min(bytes, fileSize * 64), file);
        if (data.length != bytes) {
            throw new UserException(file + ": storage '" + key + "' is truncated (" + data.length + " of " + bytes
                    + " bytes)");
        }
        Storage s = new Storage(type.dtype(), ByteBuffer.wrap(data), elements);
        cache.put(key, s);
        return s;
    }

    /** Reads a whole entry of at most {@code limit} bytes (entry sizes are bounded before allocating). */
    private static byte[] readEntry(ZipFile zip, ZipEntry entry, long limit, Path file) {
        if (entry == null) {
            throw new UserException(file + ": a zip archive without the expected torch.save entries");
        }
        long size = entry.getSize();
        if (size > limit || size > Integer.MAX_VALUE - 8) {
            throw new UserException(file + ": zip entry " + entry.getName() + " claims " + size + " bytes, more than "
                    + "the file can hold");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readNBytes((int) Math.min(limit, size >= 0 ? size : Integer.MAX_VALUE - 8));
        } catch (IOException e) {
            throw new UserException(file + ": cannot read zip entry " + entry.getName() + ": " + IoMessages.reason(e), e);
        }
    }

    /**
     * {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks, ...)}:
     * gathers the strided view into a dense row-major {@link Tensor}, checking every index stays inside the
     * storage.
     */
    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof Storage s) || !(args[1] instanceof Number off)) {
            throw new Unreadable("holds a tensor whose arguments are not as torch.save writes them (storage, offset, "
                    + "size, stride)");
        }
        long offset = off.longValue();
        long[] shape = longs(args[2], "size");
        long[] stride = longs(args[3], "stride");
        if (shape.length != stride.length) {
            throw new Unreadable("holds a tensor whose size and stride differ in rank");
        }
        long n = Tensor.elements(shape);
        if (n < 0 || n > s.elements()) {
            throw new Unreadable("holds a tensor of shape " + java.util.Arrays.toString(shape) + " does not fit its storage of "
                    + s.elements() + " elements");
        }
        long last = offset;
        for (int i = 0; i < shape.length; i++) {
            if (stride[i] < 0) {
                throw new Unreadable("holds a tensor with a negative stride, which selfsup does not read");
            }
            if (shape[i] > 0) {
                last += (shape[i] - 1) * stride[i];
            }
        }
        if (n > 0 && (offset < 0 || last >= s.elements())) {
            throw new Unreadable("holds a tensor view [offset " + offset + ", stride " + java.util.Arrays.toString(stride)
                    + "] reaches outside its storage of " + s.elements() + " elements");
        }
        int bytes = s.dtype().bytes();
        if (isContiguous(shape, stride)) {
            ByteBuffer view = s.bytes().duplicate().position((int) (offset * bytes));
            return TensorBytes.decode(s.dtype(), shape, view, (int) n);
        }
        ByteBuffer dense = ByteBuffer.allocate((int) (n * bytes));
        long[] index = new long[shape.length];
        for (long k = 0; k < n; k++) {
            long at = offset;
            for (int i = 0; i < shape.length; i++) {
                at += index[i] * stride[i];
            }
            dense.put(s.bytes().array(), (int) (at * bytes), bytes);
            for (int i = shape.length - 1; i >= 0; i--) {
                if (++index[i] < shape[i]) {
                    break;
                }
                index[i] = 0;
            }
        }
        return TensorBytes.decode(s.dtype(), shape, dense.flip(), (int) n);
    }

    private static boolean isContiguous(long[] shape, long[] stride) {
        long expect = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expect) {
                return false;
            }
            expect *= shape[i];
        }
        return true;
    }

    private static long[] longs(Object tuple, String what) {
        if (!(tuple instanceof Object[] items) || items.length > 64) {
            throw new Unreadable("holds a tensor whose " + what + " is not a tuple of at most 64 integers: "
                    + describe(tuple));
        }
        long[] out = new long[items.length];
        for (int i = 0; i < items.length; i++) {
            if (!(items[i] instanceof Number v) || v instanceof Double || v instanceof Float) {
                throw new Unreadable("holds a tensor whose " + what + " is not a tuple of integers: " + describe(tuple));
            }
            out[i] = v.longValue();
        }
        return out;
    }

    /**
     * A short description of an unpickled value for messages: scalars and short strings as they are,
     * containers by kind and size (never their contents, which may be deep or shared).
     */
    static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof String str) {
            return "'" + (str.length() > 40 ? str.substring(0, 40) + "..." : str) + "'";
        }
        if (o instanceof Number || o instanceof Boolean) {
            return String.valueOf(o);
        }
        if (o instanceof Object[] a) {
            StringBuilder b = new StringBuilder("a tuple of ").append(a.length).append(a.length == 1 ? " item" : " items");
            if (a.length > 0 && a.length <= 5) {
                b.append(" (");
                for (int i = 0; i < a.length; i++) {
                    b.append(i > 0 ? ", " : "").append(a[i] instanceof Object[] || a[i] instanceof java.util.Collection<?>
                            || a[i] instanceof Map<?, ?> ? kind(a[i]) : describe(a[i]));
                }
                b.append(")");
            }
            return b.toString();
        }
        return kind(o);
    }

    private static String kind(Object o) {
        if (o instanceof Object[] a) {
            return "a tuple of " + a.length;
        }
        if (o instanceof net.razorvine.pickle.objects.ClassDict c) {
            return "an object of class " + c.getClassName();
        }
        if (o instanceof Map<?, ?> m) {
            return "a dict of " + m.size();
        }
        if (o instanceof List<?> l) {
            return "a list of " + l.size();
        }
        if (o instanceof java.util.Set<?> st) {
            return "a set of " + st.size();
        }
        if (o instanceof StorageType t) {
            return "a " + t.dtype() + " storage type";
        }
        return "a " + o.getClass().getSimpleName();
    }
}
