package org.selfsup.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.selfsup.util.IoMessages;
import org.selfsup.util.UserException;

/**
 * Reads a weight file of either format (safetensors, or a PyTorch {@code torch.save} zip; told apart by
 * content, not by extension) and picks out one network's state dict from it.
 */
public final class WeightFiles {
    private WeightFiles() {}

    /** The stem conv every torchvision ResNet state dict has; its key's prefix locates a state dict in a file. */
    static final String ANCHOR = "conv1.weight";
    /** The patch embedding every timm-named ViT state dict has (DINO, MoCo v3, MAE, timm), likewise. */
    static final String VIT_ANCHOR = "patch_embed.proj.weight";
    /** A prefix that ends inside a residual block ({@code layer1.0.conv1.weight} is not a stem). */
    private static final java.util.regex.Pattern IN_BLOCK = java.util.regex.Pattern.compile("(^|.*\\.)layer\\d+\\.\\d+\\.$");

    /** The first bytes of a file (format detection) and its size. */
    record Head(byte[] bytes, long size) {}

    /** Reads the first 16 bytes of {@code file}; a missing or unreadable file is a UserException naming it. */
    static Head head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new Head(in.readNBytes(16), Files.size(file));
        } catch (NoSuchFileException e) {
            throw new UserException(file + ": does not exist");
        } catch (IOException e) {
            throw new UserException(file + ": cannot read: " + IoMessages.reason(e), e);
        }
    }

    /** Every tensor of a file, nested dictionaries flattened to dotted keys ({@code state_dict.module.conv1.weight}). */
    public record Loaded(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {}

    /** A state dict selected from a file: keys with the prefix stripped, and a note on how it was chosen. */
    public record Selected(Map<String, Tensor> tensors, String prefix, String note) {}

    /**
     * Reads {@code file}.
     *
     * @throws UserException if it is neither format, or damaged
     */
    public static Loaded read(Path file) {
        Head h = head(file);
        byte[] head = h.bytes();
        long size = h.size();
        if (TorchCheckpoint.isZip(head) || TorchCheckpoint.isPickle(head)) {
            Map<String, Tensor> flat = new Flattener(file).flatten(TorchCheckpoint.read(file));
            if (flat.isEmpty()) {
                throw new UserException(file + ": a PyTorch checkpoint without any tensor");
            }
            return new Loaded(file, flat, Map.of());
        }
        if (!Safetensors.looksLike(head, size)) {
            throw new UserException(file + ": neither a safetensors file nor a PyTorch checkpoint (" + size
                    + " bytes; a safetensors file starts with an 8-byte header length that fits the file, then '{')");
        }
        Safetensors.Contents c = Safetensors.read(file);
        return new Loaded(file, c.tensors(), c.metadata());
    }

    /** Deepest nesting of dictionaries, lists and tuples walked (a checkpoint is a few levels deep). */
    static final int MAX_DEPTH = 1000;
    /** Most values walked in one file, far above any checkpoint's (a budget against hostile graphs). */
    static final long MAX_NODES = 20_000_000L;

    /**
     * Flattens a checkpoint's object graph to dotted keys. The unpickled graph may share objects (a pickle
     * memoises them): each container is walked once. A tensor may be reached under several keys (tied
     * weights) and is kept under each; a container reached again is skipped when it holds no tensor (an
     * optimizer's param groups share their defaults' tuples), and refused when it does, for a state dict
     * never shares dictionaries or lists. Nesting is bounded by {@link #MAX_DEPTH}, the walk by
     * {@link #MAX_NODES}.
     */
    private static final class Flattener {
        private final Path file;
        private final Map<String, Tensor> out = new LinkedHashMap<>();
        private final java.util.IdentityHashMap<Object, Visit> seen = new java.util.IdentityHashMap<>();
        private long nodes;
        private long tensors;

        /** A container being walked ({@code open}) or walked: where first met, tensors below it, where met again. */
        private static final class Visit {
            final String path;
            boolean open = true;
            long tensors;
            String again;

            Visit(String path) {
                this.path = path;
            }
        }

        Flattener(Path file) {
            this.file = file;
        }

        Map<String, Tensor> flatten(Object root) {
            walk("", root, 0);
            return out;
        }

        private void walk(String prefix, Object value, int depth) {
            if (++nodes > MAX_NODES) {
                throw new UserException(file + ": its pickle holds more than " + MAX_NODES + " values, more than any "
                        + "checkpoint");
            }
            if (value instanceof Tensor t) {
                out.put(key(prefix), t);
                tensors++;
                return;
            }
            if (!(value instanceof Map<?, ?> || value instanceof List<?> || value instanceof Object[])) {
                return; // numbers, strings, None: not weights
            }
            Visit v = seen.get(value);
            if (v != null) {
                if (v.open) {
                    if (v.again == null) {
                        v.again = key(prefix); // a cycle: judged when its first walk ends
                    }
                } else if (v.tensors > 0) {
                    throw shared(v.path, key(prefix));
                }
                return;
            }
            if (depth >= MAX_DEPTH) {
                throw new UserException(file + ": its pickle is nested more than " + MAX_DEPTH + " levels deep (under "
                        + where(key(prefix)) + "), which no checkpoint is");
            }
            v = new Visit(key(prefix));
            seen.put(value, v);
            long before = tensors;
            if (value instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    walk(prefix + keyText(e.getKey()) + ".", e.getValue(), depth + 1);
                }
            } else if (value instanceof List<?> l) {
                for (int i = 0; i < l.size(); i++) {
                    walk(prefix + i + ".", l.get(i), depth + 1);
                }
            } else {
                Object[] a = (Object[]) value;
                for (int i = 0; i < a.length; i++) {
                    walk(prefix + i + ".", a[i], depth + 1);
                }
            }
            v.open = false;
            v.tensors = tensors - before;
            if (v.again != null && v.tensors > 0) {
                throw shared(v.path, v.again);
            }
        }

        private UserException shared(String first, String again) {
            return new UserException(file + ": the same container of tensors is reached under " + where(first)
                    + " and under " + where(again) + " (a state dict never shares its dictionaries or lists)");
        }

        /** A dictionary key as text: strings and numbers as they are, anything else by its kind. */
        private static String keyText(Object k) {
            return k instanceof String || k instanceof Number || k instanceof Boolean || k == null
                    ? String.valueOf(k) : TorchCheckpoint.describe(k);
        }

        private static String key(String prefix) {
            return prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
        }

        /** A dotted key for messages, quoted and shortened in the middle ({@code the top level} for the root). */
        private static String where(String key) {
            return key.isEmpty() ? "the top level"
                    : "'" + (key.length() <= 120 ? key : key.substring(0, 60) + "..." + key.substring(key.length() - 57)) + "'";
        }
    }

    /**
     * The state dict under {@code keyPrefix} (keys with it stripped). With {@code keyPrefix} null the
     * prefix is found: the part before the stem's {@code conv1.weight}, when exactly one such key exists (so
     * {@code module.}, {@code state_dict.}, {@code online_network.} and the like are stripped, and said
     * so). A given prefix may also follow wrapping dictionary keys: {@code module.encoder_q.} selects
     * {@code state_dict.module.encoder_q.*}.
     *
     * @throws UserException when the prefix is ambiguous or selects nothing, listing the candidates
     */
    public static Selected select(Loaded loaded, String keyPrefix) {
        List<String> candidates = new ArrayList<>();
        for (String k : loaded.tensors().keySet()) {
            if (k.equals(ANCHOR) || k.endsWith("." + ANCHOR)) {
                String p = k.substring(0, k.length() - ANCHOR.length());
                if (!IN_BLOCK.matcher(p).matches()) {
                    candidates.add(p);
                }
            } else if (k.equals(VIT_ANCHOR) || k.endsWith("." + VIT_ANCHOR)) {
                candidates.add(k.substring(0, k.length() - VIT_ANCHOR.length()));
            }
        }
        String prefix;
        String note;
        if (keyPrefix != null) {
            String p = keyPrefix.isEmpty() || keyPrefix.endsWith(".") ? keyPrefix : keyPrefix + ".";
            List<String> matching = candidates.stream().filter(c -> c.equals(p) || c.endsWith("." + p)).toList();
            if (matching.size() == 1) {
                prefix = matching.get(0);
            } else if (matching.isEmpty() && loaded.tensors().keySet().stream().anyMatch(k -> k.startsWith(p))) {
                prefix = p;
            } else {
                throw new UserException("--key-prefix: " + (matching.isEmpty() ? "no" : "more than one")
                        + " state dict under '" + keyPrefix + "' in " + loaded.file() + " (ResNet or ViT state dicts found "
                        + "under: " + describe(candidates) + ")");
            }
            note = prefix.equals(p) ? null : "using the tensors under '" + prefix + "'";
        } else if (candidates.size() == 1) {
            prefix = candidates.get(0);
            note = prefix.isEmpty() ? null : "stripped the prefix '" + prefix + "' (the only ResNet or ViT state dict "
                    + "in the file; --key-prefix chooses another)";
        } else if (candidates.isEmpty()) {
            throw new UserException(loaded.file() + ": no ResNet or ViT state dict (no '" + ANCHOR + "' or '" + VIT_ANCHOR
                    + "' under any prefix; "
                    + "first keys: " + first(new ArrayList<>(loaded.tensors().keySet()), 5) + ")");
        } else {
            throw new UserException(loaded.file() + ": several ResNet or ViT state dicts, choose one with --key-prefix: "
                    + describe(candidates));
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        loaded.tensors().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return new Selected(out, prefix, note);
    }

    private static String describe(List<String> prefixes) {
        if (prefixes.isEmpty()) {
            return "none";
        }
        List<String> shown = new ArrayList<>();
        for (String p : new TreeSet<>(prefixes)) {
            shown.add(p.isEmpty() ? "(no prefix)" : "'" + p + "'");
        }
        return String.join(", ", shown);
    }

    /** {@code n} and the noun, plural unless n is 1: {@code count(1, "tensor")} is "1 tensor". */
    public static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The first {@code n} items, with a count of the rest. */
    static String first(List<String> items, int n) {
        String shown = String.join(", ", items.subList(0, Math.min(n, items.size())));
        return items.size() > n ? shown + ", ... (" + items.size() + " in all)" : shown;
    }
}
