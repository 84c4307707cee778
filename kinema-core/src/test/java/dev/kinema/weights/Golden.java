package dev.kinema.weights;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The committed files tools/golden/weights_e2e.py made with PyTorch. */
final class Golden {
    private Golden() {}

    static Path file(String name) {
        URL url = Golden.class.getResource("/golden/weights/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test resource golden/weights/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
