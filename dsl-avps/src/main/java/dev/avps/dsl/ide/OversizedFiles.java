package dev.avps.dsl.ide;

import com.google.inject.Singleton;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.emf.common.util.URI;

/**
 * Workspace files on disk that {@link AvpsProjectManager} left out of the index for their size,
 * shared with {@link AvpsLanguageServerImpl} so that editor features answer empty for them
 * instead of loading them after all.
 */
@Singleton
public class OversizedFiles {

    private final Set<URI> skipped = ConcurrentHashMap.newKeySet();

    void skip(URI uri) {
        skipped.add(uri);
    }

    void admit(URI uri) {
        skipped.remove(uri);
    }

    boolean isSkipped(URI uri) {
        return skipped.contains(uri);
    }
}
