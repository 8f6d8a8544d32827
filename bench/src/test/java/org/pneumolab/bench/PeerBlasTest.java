package org.pneumolab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A peer on the reference BLAS is never published: the paths Debian maps for each BLAS are
 * classified (from this machine's /proc/self/maps before and after installing
 * libopenblas0-pthread), and a harness told so marks every row with a peer figure unreliable,
 * without rerunning it, and leaves rows without one alone.
 */
class PeerBlasTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @Test
    void debianPathsAreClassified() {
        String reference = "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0";
        assertNotNull(PeerBlas.problem(reference));
        assertTrue(PeerBlas.problem(reference).contains(reference));
        assertTrue(PeerBlas.describe(reference).contains("reference"));
        assertNull(PeerBlas.problem("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so"));
        assertNull(PeerBlas.problem("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"));
        assertNull(PeerBlas.problem("/usr/lib/x86_64-linux-gnu/blis-openmp/libblas.so.3"));
        assertNull(PeerBlas.problem("/opt/intel/lib/libmkl_rt.so.2"));
        assertNull(PeerBlas.problem("none"), "torch with its own BLAS linked in");
        assertNull(PeerBlas.problem(null), "the peer could not say: nothing to hold against it");
        assertTrue(PeerBlas.describe("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so").endsWith("(tuned)"));
    }

    @Test
    void anUnfitPeerMarksItsRowsWithoutRerunning() {
        List<Integer> twinCalls = new ArrayList<>();
        Contestant ours = new Contestant("ours", true, () -> 20.0);
        Contestant peer = new Contestant("peer", false, () -> 10.0, plan -> {
            twinCalls.add(plan.reps());
            return java.util.Collections.nCopies(plan.reps(), 10.0);
        });
        Comparison c = new Comparison("row", "img/s", List.of(ours, peer), null);
        String unfit = PeerBlas.problem("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0");
        List<Harness.Outcome> out = new Harness(3, true, true, unfit, 0, QUIET).run(c);
        assertEquals(List.of(3), twinCalls, "steady in every other respect: run once");
        assertTrue(out.stream().allMatch(o -> o.unreliable() != null && o.unreliable().contains("reference")));
        String verdict = Target.faster("ours >= 1x", "row", null, 1.0).check(Map.of("row", c), Map.of("row", out));
        assertTrue(verdict.contains("not judged"), verdict);

        // a row whose peer was skipped (no figure) is not doubted for it
        Contestant skipped = new Contestant("peer", false, () -> {
            throw new Contestant.Skipped("no torch");
        }, plan -> List.of());
        Comparison alone = new Comparison("ours only", "img/s", List.of(ours, skipped), null);
        assertTrue(new Harness(3, true, true, unfit, 0, QUIET).run(alone).stream().allMatch(o -> o.unreliable() == null));
        // the same peer with a tuned BLAS is published
        assertTrue(new Harness(3, true, true, null, 0, QUIET).run(c).stream().allMatch(o -> o.unreliable() == null));
    }
}
