package org.pneumolab.classify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;

import org.pneumolab.io.Digests;

/**
 * Which data a feature cache entry was computed from. For image folders: the sorted file list
 * with sizes and modification times (cheap, and changes when any file is replaced); for data
 * already in memory: a hash of the array's values.
 *
 * @param digest      SHA-256 hex of the identity material
 * @param description a human-readable summary (file count or array shape)
 */
public record DataIdentity(String digest, String description) {

    public static DataIdentity ofFiles(List<Path> files) throws IOException {
        MessageDigest md = Digests.sha256();
        List<Path> sorted = files.stream().map(p -> p.toAbsolutePath().normalize()).sorted().toList();
        for (Path p : sorted) {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            md.update((p + "|" + a.size() + "|" + a.lastModifiedTime().toMillis() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return new DataIdentity(Digests.hex(md.digest()), sorted.size() + " files");
    }

    /** Identity of images and labels held in memory (e.g. a synthetic set or a pre-loaded split). */
    public static DataIdentity ofArrays(INDArray images, INDArray labels) {
        MessageDigest md = Digests.sha256();
        for (INDArray a : new INDArray[]{images, labels}) {
            md.update(java.util.Arrays.toString(a.shape()).getBytes(StandardCharsets.UTF_8));
            md.update(a.dup().data().asBytes());
        }
        return new DataIdentity(Digests.hex(md.digest()),
                "arrays " + java.util.Arrays.toString(images.shape()));
    }
}
