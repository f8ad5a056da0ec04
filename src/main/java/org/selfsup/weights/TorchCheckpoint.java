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

    /** A {@code torch.XStorage} class named in a persistent id. */
    private record StorageType(DType dtype) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException("constructing a storage object directly is not supported");
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
            Unpickler unpickler = new Unpickler() {
                @Override
                protected Object persistentLoad(Object pid) {
                    return storage(pid, zip, prefix, fileSize, storages, file);
                }
            };
            try {
                return unpickler.loads(pickle);
            } catch (PickleException | ClassCastException | IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new UserException(file + ": cannot read the checkpoint's pickle: " + e.getMessage(), e);
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
            throw new PickleException("unsupported persistent id " + describe(pid));
        }
        if (!(t[1] instanceof StorageType type)) {
            throw new PickleException("unsupported storage type " + describe(t[1]));
        }
        String key = String.valueOf(t[2]);
        long elements = ((Number) t[4]).longValue();
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
        if (args.length < 4 || !(args[0] instanceof Storage s)) {
            throw new PickleException("unexpected _rebuild_tensor arguments");
        }
        long offset = ((Number) args[1]).longValue();
        long[] shape = longs(args[2]);
        long[] stride = longs(args[3]);
        if (shape.length != stride.length) {
            throw new PickleException("tensor size and stride differ in rank");
        }
        long n = Tensor.elements(shape);
        if (n < 0 || n > s.elements()) {
            throw new PickleException("tensor of shape " + java.util.Arrays.toString(shape) + " does not fit its storage of "
                    + s.elements() + " elements");
        }
        long last = offset;
        for (int i = 0; i < shape.length; i++) {
            if (stride[i] < 0) {
                throw new PickleException("negative strides are not supported");
            }
            if (shape[i] > 0) {
                last += (shape[i] - 1) * stride[i];
            }
        }
        if (n > 0 && (offset < 0 || last >= s.elements())) {
            throw new PickleException("tensor view [offset " + offset + ", stride " + java.util.Arrays.toString(stride)
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

    private static long[] longs(Object tuple) {
        Object[] items = (Object[]) tuple;
        long[] out = new long[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = ((Number) items[i]).longValue();
        }
        return out;
    }

    private static String describe(Object o) {
        return o instanceof Object[] a ? java.util.Arrays.deepToString(a) : String.valueOf(o);
    }
}
