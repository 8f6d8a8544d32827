package org.pneumolab.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pneumolab.notebook.ProgressBar;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/** A quick throughput check of the active ND4J backend (matrix multiply, float32). */
public final class BackendCheck {
    private BackendCheck() {
    }

    /** One matrix size's timings. */
    public record GemmPoint(int n, double medianMillis, double gflops) {
    }

    /** All sizes; renders as a table and a bar chart. */
    public record GemmResult(String backend, List<GemmPoint> points) {
        public Table table() {
            return Table.create("float32 matrix multiply on " + backend,
                    IntColumn.create("n", points.stream().mapToInt(GemmPoint::n).toArray()),
                    DoubleColumn.create("median ms", points.stream().mapToDouble(GemmPoint::medianMillis).toArray()),
                    DoubleColumn.create("GFLOP/s", points.stream().mapToDouble(GemmPoint::gflops).toArray()));
        }

        public CategoryChart chart() {
            CategoryChart c = new CategoryChartBuilder().width(640).height(360)
                    .title("Matrix multiply throughput (" + backend + ")")
                    .xAxisTitle("matrix size n (n x n, float32)").yAxisTitle("GFLOP/s (median of repeats)").build();
            c.getStyler().setLegendVisible(false);
            c.addSeries("GFLOP/s", points.stream().map(p -> String.valueOf(p.n())).toList(),
                    points.stream().map(GemmPoint::gflops).toList());
            return c;
        }
    }

    /**
     * Times {@code repeats} multiplies of random n x n matrices for each size, after one warm-up.
     *
     * @param seed seeds the random matrices (the timings themselves vary run to run)
     */
    public static GemmResult gemm(int[] sizes, int repeats, long seed) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
        }
        List<GemmPoint> points = new ArrayList<>();
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        try (ProgressBar bar = ProgressBar.start("GEMM benchmark", (long) sizes.length * (repeats + 1))) {
            for (int n : sizes) {
                Nd4j.getRandom().setSeed(seed);
                INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
                INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
                a.mmul(b); // warm-up: first call pays for allocation and kernel selection
                bar.step();
                double[] ms = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    long t0 = System.nanoTime();
                    INDArray c = a.mmul(b);
                    c.getDouble(0); // forces completion on asynchronous backends
                    ms[r] = (System.nanoTime() - t0) / 1e6;
                    bar.step();
                }
                Arrays.sort(ms);
                double median = ms[repeats / 2];
                points.add(new GemmPoint(n, median, 2.0 * n * n * n / (median * 1e6)));
            }
        }
        return new GemmResult(backend, points);
    }
}
