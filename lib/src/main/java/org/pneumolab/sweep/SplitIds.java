package org.pneumolab.sweep;

import java.util.List;

import org.pneumolab.io.Digests;

/** A named data split by its image ids, in order; identified in caches by a hash of the ids. */
public record SplitIds(String name, List<String> ids) {
    public SplitIds {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a split needs a name");
        }
        ids = List.copyOf(ids);
        if (ids.stream().distinct().count() != ids.size()) {
            throw new IllegalArgumentException("split " + name + " lists an image id twice");
        }
    }

    /** Hash of the ids in order (one per line), so a changed split never reuses a stale cache. */
    public String idsHash() {
        return Digests.sha256Hex(String.join("\n", ids));
    }

    public String key() {
        return "split=" + name + ";images=" + ids.size() + ";ids=" + idsHash();
    }
}
