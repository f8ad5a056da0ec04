package org.selfsup.config;

import java.util.List;
import org.selfsup.util.UserException;

/**
 * A configuration value that is wrong. Carries the key(s) involved so that the caller can say where the
 * value came from (a flag, a config file, a preset); see {@link ConfigResolver}.
 */
public final class ConfigValueException extends UserException {
    private final List<String> keys;
    private final String detail;

    /**
     * @param detail what is wrong, e.g. "must be at least 1 (got 0)"
     * @param keys the keys involved, the key the message is about first
     */
    public ConfigValueException(String detail, String... keys) {
        super("key '" + keys[0] + "': " + detail);
        this.keys = List.of(keys);
        this.detail = detail;
    }

    /** The keys involved; the first is the one the message is about. */
    public List<String> keys() {
        return keys;
    }

    /** The problem without the location. */
    public String detail() {
        return detail;
    }
}
