package org.pneumolab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.pneumolab.weights.KerasFile;
import org.pneumolab.weights.WeightStore;
import org.pneumolab.weights.ZooFile;

/**
 * {@code pneumo weights [--dir DIR] [--check]}: the ImageNet weight files each profile needs,
 * where they are looked for, what was found and whether each matches its published checksum;
 * without {@code --check}, missing files are downloaded from Keras's URLs (with progress, written
 * atomically, verified before they are kept), and where that fails (offline) the exact URLs and
 * the folder to put them in are printed. Exit 1 when a file the paper profile needs is missing or bad.
 */
final class WeightsCommand implements Command {
    /** What the paper profile needs: both Kermany bases and the detectors' backbone. */
    static final List<KerasFile> PAPER = List.of(KerasFile.VGG16, KerasFile.INCEPTION_V3, KerasFile.RESNET50);

    private final PrintStream out;
    private final PrintStream err;

    WeightsCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public String name() {
        return "weights";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("dir");
    }

    @Override
    public Set<String> flags() {
        return Set.of("check");
    }

    @Override
    public String usage() {
        return "[--dir DIR] [--check]  (ImageNet weight files: where they are looked for, checksums; fetches missing ones unless --check)";
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = parse(argv);
        if (!args.positional().isEmpty()) {
            throw new UsageException("weights takes no positional arguments, got " + args.positional());
        }
        WeightStore store = args.options().containsKey("dir") ? WeightStore.in(Path.of(args.get("dir", "")))
                : WeightStore.standard();
        boolean check = args.flag("check");
        out.println("Profiles: paper needs " + PAPER.stream().map(KerasFile::fileName).toList()
                + " (notebooks 02-03: VGG16, InceptionV3; 04: ResNet50); sample needs none (random init when a"
                + " file is missing, said in each notebook's weights line).");
        out.println("Looking in: " + store.folders() + (args.options().containsKey("dir") ? ""
                : " ($PNEUMO_WEIGHTS, then Keras's cache)") + "; second source for VGG16 and ResNet50: DL4J's zoo folder.");
        int bad = 0;
        for (KerasFile k : PAPER) {
            out.println();
            out.println(k.base() + ": " + k.fileName());
            Optional<Path> found = store.find(k.fileName());
            if (found.isPresent()) {
                try {
                    WeightStore.Verified v = WeightStore.verify(found.get());
                    out.println("  OK   " + v.file() + "  md5 " + v.md5() + " (published), sha256 " + v.sha256()
                            + ", " + v.size() + " bytes; " + v.variant().layout());
                    continue;
                } catch (WeightStore.BadWeightFile e) {
                    out.println("  BAD  " + e.getMessage());
                    bad++;
                    continue;
                }
            }
            Optional<ZooFile> zoo = zooFor(k);
            if (zoo.isPresent() && zooOk(zoo.get())) {
                out.println("  OK   (second source) DL4J zoo " + zoo.get().localFile() + " (adler32 " + zoo.get().adler32() + ")");
                continue;
            }
            out.println("  MISSING in " + store.folders() + zoo.map(z -> "; zoo file " + z.localFile() + " absent or bad").orElse(""));
            if (check || !download(k, store.targetFolder())) {
                out.println("  get it: put " + k.fileName() + " in " + store.targetFolder() + " (or ~/.keras/models/), from");
                for (String url : k.urls()) {
                    out.println("         " + url);
                }
                out.println("         md5 " + k.md5() + (k.size() > 0 ? ", " + k.size() + " bytes" : ""));
                bad++;
            }
        }
        out.println();
        out.println(bad == 0 ? "All files the paper profile needs are present and match their published checksums."
                : bad + " file(s) the paper profile needs are missing or bad" + (check ? " (--check: nothing downloaded)" : "")
                + "; until then the paper profile stops before training, or runs with WEIGHTS = WeightsChoice.RANDOM.");
        return bad == 0 ? 0 : 1;
    }

    private static Optional<ZooFile> zooFor(KerasFile k) {
        return switch (k) {
            case VGG16 -> Optional.of(ZooFile.VGG16_IMAGENET);
            case RESNET50, RESNET50_LEGACY -> Optional.of(ZooFile.RESNET50_IMAGENET);
            default -> Optional.empty();
        };
    }

    /** The zoo's own check: its file's Adler-32 against the checksum the zoo carries. */
    private static boolean zooOk(ZooFile z) throws IOException {
        Path f = z.localFile();
        if (!Files.isRegularFile(f)) {
            return false;
        }
        java.util.zip.Adler32 a = new java.util.zip.Adler32();
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                a.update(buf, 0, n);
            }
        }
        return a.getValue() == z.adler32();
    }

    /** Tries each published URL; keeps the file only when its checksum matches. */
    private boolean download(KerasFile k, Path folder) {
        return download(k, folder, k.urls());
    }

    /** As above from {@code urls} (tests serve a file locally). */
    boolean download(KerasFile k, Path folder, List<String> urls) {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(15)).build();
        for (String url : urls) {
            Path tmp = null;
            try {
                Files.createDirectories(folder);
                tmp = Files.createTempFile(folder, k.fileName(), ".part");
                err.println("  downloading " + url);
                HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                if (r.statusCode() != 200) {
                    err.println("  HTTP " + r.statusCode() + " from " + url);
                    continue;
                }
                long total = r.headers().firstValueAsLong("Content-Length").orElse(k.size());
                try (InputStream in = r.body(); OutputStream o = Files.newOutputStream(tmp)) {
                    byte[] buf = new byte[1 << 16];
                    long done = 0;
                    int shown = -1;
                    for (int n; (n = in.read(buf)) > 0; ) {
                        o.write(buf, 0, n);
                        done += n;
                        int pct = total > 0 ? (int) (100 * done / total) : -1;
                        if (pct / 10 != shown / 10) {
                            err.println("  " + done + (total > 0 ? " / " + total + " bytes (" + pct + "%)" : " bytes"));
                            shown = pct;
                        }
                    }
                }
                // verified under its real name before the atomic rename: a bad download is never in place
                WeightStore.Verified v = WeightStore.verify(tmp, k.fileName());
                Path target = folder.resolve(k.fileName());
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                tmp = null;
                out.println("  FETCHED " + target + "  md5 " + v.md5() + " (published), sha256 " + v.sha256());
                return true;
            } catch (IOException | InterruptedException | RuntimeException e) {
                err.println("  download failed from " + url + ": " + e);
            } finally {
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // best effort: a leftover .part is harmless, it is never looked for
                    }
                }
            }
        }
        return false;
    }
}
