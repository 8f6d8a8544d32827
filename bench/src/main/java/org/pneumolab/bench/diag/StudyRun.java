package org.pneumolab.bench.diag;

import java.nio.file.Path;
import java.util.List;

import org.pneumolab.data.DataConfig;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.data.RsnaDataset;
import org.pneumolab.runtime.NativeThreads;
import org.pneumolab.detect.RunStore;
import org.pneumolab.detect.study.Contender;
import org.pneumolab.detect.study.DetectionData;
import org.pneumolab.detect.study.DetectionStudy;
import org.pneumolab.detect.study.StudyResult;
import org.pneumolab.detect.study.StudySpec;
import org.pneumolab.runtime.Profile;

/**
 * Ad-hoc (a main, not a test): notebook 04's study from the command line, for measurements.
 * Args: runs-dir [epochs] [CONTENDER,...]. Data from {@link DataConfig#load()}.
 */
public final class StudyRun {
    public static void main(String[] args) throws Exception {
        Path runs = Path.of(args.length > 0 ? args[0] : "runs/04-detection");
        DataConfig cfg = DataConfig.load();
        StudySpec spec = StudySpec.forProfile(Profile.current(), 2018);
        if (args.length > 1) {
            spec = spec.withEpochs(Integer.parseInt(args[1]));
        }
        System.out.println(NativeThreads.describe());
        ProblemLog log = ProblemLog.toStderr();
        long t0 = System.nanoTime();
        RsnaDataset ds = RsnaDataset.load(cfg.rsna(), log);
        DetectionData data = DetectionData.prepare(ds, spec,
                ImagePipeline.standard(DetectionData.pipelineSpec(spec), cfg, log), log);
        System.out.printf("data ready in %.1f s%n%s%n", (System.nanoTime() - t0) / 1e9, data.summary());
        List<Contender> which = args.length > 2
                ? java.util.Arrays.stream(args[2].split(",")).map(Contender::valueOf).toList() : List.of(Contender.values());
        StudyResult r = DetectionStudy.run(data, spec, new RunStore(runs), which);
        System.out.println(r.comparison());
        System.out.println(r.falsePositives());
        System.out.println(r.negativesVerdict());
        System.out.printf("total %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
