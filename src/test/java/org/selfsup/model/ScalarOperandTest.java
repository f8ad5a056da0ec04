package org.selfsup.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No class of selfsup passes a Java number to a DJL array operation ({@code x.mul(2f)}, {@code y.div(n)},
 * ...): DJL wraps it in a tensor over a Java buffer that it frees at once, which on the CPU leaves autograd
 * reading freed memory in the backward pass and on a GPU costs a blocking copy ({@link Scalars} says why and
 * gives the replacement). The check reads the constant pool of every compiled main class: a reference to
 * such a method there is a call of it. {@code clip(Number, Number)} is allowed: DJL passes its bounds to
 * libtorch as C++ scalars.
 */
class ScalarOperandTest {
    /** DJL array operations whose Java-number form builds a temporary tensor over a Java buffer. */
    private static final Set<String> OPERATIONS = Set.of("add", "sub", "mul", "div", "pow", "maximum", "minimum",
            "mod", "addi", "subi", "muli", "divi", "powi", "modi", "eq", "neq", "gt", "gte", "lt", "lte");
    /**
     * A Java-number parameter in a method descriptor: NDArray's {@code mul(Number)}, NDArrays'
     * {@code mul(NDArray, Number)}.
     */
    private static final String NUMBER_OPERAND = "Ljava/lang/Number;";

    @Test
    void noArrayOperationTakesAJavaNumber() throws IOException, URISyntaxException {
        Path classes = Path.of(Scalars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> found = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                scanned++;
                for (String ref : methodRefs(f)) {
                    String[] owner = ref.split(" ");
                    String params = owner[2].substring(0, owner[2].indexOf(')') + 1);
                    if (owner[0].startsWith("ai/djl/") && OPERATIONS.contains(owner[1])
                            && params.contains(NUMBER_OPERAND)) {
                        found.add(classes.relativize(f) + " calls " + ref);
                    }
                }
            }
        }
        assertTrue(scanned > 100, "compiled main classes not found under " + classes);
        assertEquals(List.of(), found, "use Scalars.of(manager, value) as the operand instead");
    }

    /** The scanner sees a Java-number operation where there is one (this test's own class has one). */
    @Test
    void theScannerFindsANumberOperand() throws IOException, URISyntaxException {
        Path self = Path.of(ScalarOperandTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("org/selfsup/model/ScalarOperandTest.class");
        assertTrue(methodRefs(self).contains("ai/djl/ndarray/NDArray mul (Ljava/lang/Number;)Lai/djl/ndarray/NDArray;"),
                methodRefs(self).toString());
    }

    @SuppressWarnings("unused")
    private static ai.djl.ndarray.NDArray example(ai.djl.ndarray.NDArray x) {
        return x.mul(2f); // what noArrayOperationTakesAJavaNumber forbids in main classes
    }

    /**
     * The method references of a class file as {@code "owner name descriptor"} (JVMS 4.4: the constant pool's
     * Methodref and InterfaceMethodref entries).
     */
    static List<String> methodRefs(Path classFile) throws IOException {
        try (InputStream raw = Files.newInputStream(classFile);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException(classFile + " is not a class file");
            }
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            int[] first = new int[count];
            int[] second = new int[count];
            int[] tag = new int[count];
            for (int i = 1; i < count; i++) {
                tag[i] = in.readUnsignedByte();
                switch (tag[i]) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++; // takes two slots
                    }
                    case 7, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort();
                    case 9, 10, 11, 12, 17, 18 -> {
                        first[i] = in.readUnsignedShort();
                        second[i] = in.readUnsignedShort();
                    }
                    case 15 -> {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                    }
                    default -> throw new IOException(classFile + ": constant pool tag " + tag[i]);
                }
            }
            List<String> refs = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                if (tag[i] == 10 || tag[i] == 11) {
                    String owner = utf8[first[first[i]]];
                    int nameAndType = second[i];
                    refs.add(owner + " " + utf8[first[nameAndType]] + " " + utf8[second[nameAndType]]);
                }
            }
            return refs;
        }
    }
}
