package org.selfsup.method;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import java.util.TreeSet;

/** View look-up with a clear error when a view plan does not provide what a method reads. */
final class Views {
    private Views() {}

    static NDArray get(Map<String, NDArray> views, String name, String method) {
        NDArray v = views.get(name);
        if (v == null) {
            throw new IllegalArgumentException("method " + method + " needs view '" + name
                    + "' but the batch has " + new TreeSet<>(views.keySet()));
        }
        return v;
    }
}
