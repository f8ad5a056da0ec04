package org.selfsup.augment.ops;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Locates the golden reference set copied into the test resources. */
final class GoldenTestData {
    private GoldenTestData() {
    }

    static Path dir() {
        URL url = GoldenTestData.class.getResource("/golden/cases.jsonl");
        if (url == null) {
            throw new IllegalStateException("golden test resources are missing");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
