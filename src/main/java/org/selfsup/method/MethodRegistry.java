package org.selfsup.method;

import java.util.List;
import java.util.Locale;
import org.selfsup.util.UserException;

/** Methods by name. */
public final class MethodRegistry {
    private MethodRegistry() {}

    /** Every registered method name. */
    public static final List<String> NAMES =
            List.of("byol", "simsiam", "rsa", "dssl-simsiam", "dssl-byol", "heavy-symmetric");

    /**
     * The method called {@code name} (case-insensitive) configured by {@code opts}.
     *
     * @throws UserException naming the {@code method} key and listing the valid names
     */
    public static SslMethod create(String name, MethodOptions opts) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return switch (n) {
            case "byol" -> new Byol();
            case "simsiam" -> new SimSiam();
            case "rsa" -> new Rsa(opts.beta0());
            case "dssl-simsiam" -> new DsslSimSiam(opts.softLossRate());
            case "dssl-byol" -> new DsslByol();
            case "heavy-symmetric" -> new HeavySymmetric();
            default -> throw new UserException("method: unknown '" + name + "' (expected one of "
                    + String.join(", ", NAMES) + ")");
        };
    }
}
