package org.pneumolab.rehearse;

import java.util.List;
import java.util.Locale;

/**
 * The rehearsal's table (one row per stage: wall time, peak resident memory, heap and native
 * peaks, disk) and the extrapolation of a full paper run's time on this machine, in Markdown; for
 * the Kermany part, the study's measured total instead (and its extrapolation to full size below
 * scale 1).
 */
public final class RehearsalReport {
    private RehearsalReport() {
    }

    static String row(Rehearsal.Stage s) {
        StageMeter.Measured m = s.m();
        return String.format(Locale.ROOT, "| %s | %d %s | %.1f | %.1f | %s | %s | %s%s | %s | %s | %s | %s |", s.name(), s.units(), s.unitName(),
                m.seconds(), m.cpuSeconds(), rate(s.rate(), s.unitName()), kernel(s), mib(m.vmHwm()), m.hwmIsStagePeak() ? "" : " (process)",
                mib(m.heapPeak()), mib(m.offHeapPeak()), mib(m.diskBytes()), s.note());
    }

    private static String rate(double perSecond, String unit) {
        return Double.isFinite(perSecond) ? String.format(Locale.ROOT, "%.3g %s/s", perSecond, unit) : "-";
    }

    /** The kernel's rate timed beside the stage, and the stage's share of it (1.00 = the kernel's speed). */
    private static String kernel(Rehearsal.Stage s) {
        if (s.kernel() == null) {
            return "-";
        }
        double share = s.rate() / s.kernel().perSecond();
        // CPU seconds per unit, the stage's over the kernel's: less moved by other processes' load than wall time
        double cpu = s.units() > 0 && !s.resumed() ? s.m().cpuSeconds() / s.units() / s.kernel().cpuSecondsPerUnit() : Double.NaN;
        return String.format(Locale.ROOT, "%.3g %s/s (%s)%s%s", s.kernel().perSecond(), s.unitName(), s.kernel().what(),
                Double.isFinite(share) ? String.format(Locale.ROOT, "; stage at %.2fx", share) : "",
                Double.isFinite(cpu) ? String.format(Locale.ROOT, "; stage CPU per unit %.2fx the kernel's", cpu) : "");
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%d", bytes >> 20);
    }

    /** The whole report: options, machine load, the stage table, the extrapolation (or the Kermany part's total). */
    public static String markdown(Rehearsal.Options o, List<Rehearsal.Stage> stages, String load) {
        StringBuilder b = new StringBuilder();
        if (o.part() == Rehearsal.Part.KERMANY) {
            b.append(String.format(Locale.ROOT, "Rehearsal, Kermany part only (--part kermany): scale %s, the paper profile's"
                    + " head and fine-tuning epochs, uncapped; %s%n%n", o.scale(), load));
        } else {
            b.append(String.format(Locale.ROOT, "Rehearsal: scale %s, at most %d training steps per model, at most %d images per evaluation; %s%n%n",
                    o.scale(), o.steps(), o.evalImages(), load));
        }
        b.append("| stage | work | wall s | CPU s | rate | kernel alone (timed after the stage) | peak RSS MiB (VmHWM) | heap peak MiB | off-heap peak MiB (RSS - heap used) | disk MiB (rehearsal folder) | note |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Rehearsal.Stage s : stages) {
            b.append(row(s)).append('\n');
        }
        if (o.part() == Rehearsal.Part.KERMANY) {
            kermanyTotal(b, o, stages);
            return b.toString();
        }
        extrapolation(b, stages, "Extrapolated full paper run on this machine");
        b.append("\nWhat a GPU would change: the training and evaluation rows (ResNet50 RetinaNet / Faster R-CNN steps at"
                + " 224 px, VGG16 and InceptionV3 forward passes) are the ones a GPU takes over (the `cuda` profile; not"
                + " measured by us: our machines have none); generating, scanning and decoding stay on the CPU, and"
                + " decoding is what the tensor cache makes a one-off.\n");
        return b.toString();
    }

    /**
     * The Kermany part's ending: what it is (the Kermany study at this scale, measured) and its
     * total wall time; below full size, the same study extrapolated to Kermany's full size.
     */
    private static void kermanyTotal(StringBuilder b, Rehearsal.Options o, List<Rehearsal.Stage> stages) {
        double seconds = stages.stream().mapToDouble(s -> s.m().seconds()).sum();
        long resumed = stages.stream().filter(Rehearsal.Stage::resumed).count();
        b.append(String.format(Locale.ROOT, "%nThe Kermany study at scale %s (%d generated images), measured: total wall"
                        + " time %s (%.1f s, the stages above added up)%s.%n", o.scale(), o.kermany(),
                org.pneumolab.report.Format.seconds(seconds), seconds,
                resumed == 0 ? "" : "; " + resumed + (resumed == 1 ? " stage" : " stages")
                        + " went on from an earlier run (resumed), so this is less than the whole study takes"));
        if (o.scale() < 1) {
            extrapolation(b, stages, "Extrapolated Kermany study at full size (" + String.format(Locale.ROOT, "%,d", Rehearsal.KERMANY)
                    + " images) on this machine");
        }
    }

    /** The linear extrapolation's table under {@code title}. */
    private static void extrapolation(StringBuilder b, List<Rehearsal.Stage> stages, String title) {
        b.append("\n").append(title).append(" (time per unit measured here x the full run's units, a"
                + " linear estimate; 'as measured' carries this run's load, 'idle machine' divides the CPU time by the cores;"
                + " stages resumed from an earlier run are left out):\n\n");
        b.append("| stage | s/unit as measured | s/unit idle machine | full-run units | hours as measured | hours idle machine |\n"
                + "|---|---|---|---|---|---|\n");
        double total = 0;
        double totalIdle = 0;
        for (Rehearsal.Stage s : stages) {
            if (s.resumed()) {
                b.append("| ").append(s.name()).append(" | resumed, not measured | | | | |\n");
                continue;
            }
            double h = s.fullSeconds() / 3600;
            double hi = s.fullIdleSeconds() / 3600;
            total += h;
            totalIdle += Double.isFinite(hi) ? hi : 0;
            b.append(String.format(Locale.ROOT, "| %s | %.3f s/%s | %.3f | %s | %.2f | %.2f |%n", s.name(), s.secondsPerUnit(),
                    singular(s.unitName()), s.idleSecondsPerUnit(),
                    Double.isFinite(s.fullUnits()) ? String.format(Locale.ROOT, "%.0f", s.fullUnits()) : "-", h, hi));
        }
        b.append(String.format(Locale.ROOT, "| **total** | | | | **%.1f** | **%.1f** |%n", total, totalIdle));
    }

    private static String singular(String unit) {
        return unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
    }
}
