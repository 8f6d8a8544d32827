package org.pneumolab.sweep;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;
import org.pneumolab.notebook.RendersAsImage;
import org.pneumolab.viz.BoxOverlay;

/**
 * The same images before and after fusion: one row per image; left, each source's boxes (under
 * the source's own settings chosen on validation), one colour per source; right, the chosen
 * ensemble's fused boxes. Radiologists' boxes in green on both, scores on every box, a legend on
 * top. Each panel is scaled to {@code panelSize} pixels.
 *
 * @param sourceNames one per source, in the order of each row's {@code perSource}
 */
public record EnsembleBeforeAfter(List<Row> rows, List<String> sourceNames, String fusedName, int panelSize)
        implements RendersAsImage {
    /** Source colours, in order; chosen to stay apart from the green ground truth and the fused magenta. */
    static final Color[] SOURCE_COLOURS = {new Color(255, 140, 0), new Color(40, 140, 255), new Color(230, 40, 40),
        new Color(0, 200, 200)};
    static final Color FUSED = new Color(235, 60, 235);
    private static final int LEGEND = 46;

    /** One image: its picture, ground truth, each source's detections and the fused ones. */
    public record Row(String imageId, BufferedImage image, List<Box> truth, List<List<Detection>> perSource,
            List<Detection> fused) {
    }

    public EnsembleBeforeAfter {
        rows = List.copyOf(rows);
        sourceNames = List.copyOf(sourceNames);
        if (sourceNames.size() > SOURCE_COLOURS.length) {
            throw new IllegalArgumentException("at most " + SOURCE_COLOURS.length + " sources can be told apart, got "
                    + sourceNames.size());
        }
        if (panelSize < 32) {
            throw new IllegalArgumentException("panel size must be at least 32 pixels: " + panelSize);
        }
        for (Row r : rows) {
            if (r.perSource().size() != sourceNames.size()) {
                throw new IllegalArgumentException("image " + r.imageId() + " has " + r.perSource().size()
                        + " sources' boxes, expected " + sourceNames.size());
            }
        }
    }

    /**
     * Rows for {@code ids} of the held-out split from an {@link EnsembleReport}: each single model
     * at its own settings chosen on validation, and the chosen ensemble. Images the picture source
     * cannot load are reported and left out.
     */
    public static EnsembleBeforeAfter of(List<String> ids, BeforeAfter.ImageSource images, EnsembleReport report,
            Map<String, List<Box>> groundTruth, int panelSize) {
        List<Integer> singleRows = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 1; i < report.rows().size(); i++) {
            EnsembleReport.Row r = report.rows().get(i);
            // the single models at their own chosen settings (the case study's row repeats one of them)
            if (r.ensemble().isSingleModel() && !r.settings().equals(SweepReport.PUBLISHED)
                    && !names.contains(r.ensemble().describe())) {
                singleRows.add(i);
                names.add(r.ensemble().describe());
            }
        }
        // The fused boxes: the chosen ensemble's, or, when a single model was chosen, the best
        // ensemble that does fuse (a copy of one detector's boxes would show nothing).
        int fusedRow = Math.max(0, report.bestFusedRow());
        String fusedName = fusedRow == 0 ? "chosen: " + report.chosen().ensemble().describe()
                : "best fusing ensemble (the chosen is " + report.chosen().ensemble().describe() + "): "
                + report.rows().get(fusedRow).ensemble().describe();
        List<Row> rows = new ArrayList<>();
        for (String id : ids) {
            Map<String, List<Detection>> fused = report.heldOutDetections(fusedRow);
            if (!fused.containsKey(id)) {
                throw new IllegalArgumentException("image " + id + " is not among the held-out images of the report");
            }
            BufferedImage image;
            try {
                image = images.load(id);
            } catch (java.io.IOException | RuntimeException e) {
                System.err.println("skipped: image " + id + ": " + e.getMessage()); // reported, the rest is drawn
                continue;
            }
            List<List<Detection>> per = new ArrayList<>();
            for (int i : singleRows) {
                per.add(report.heldOutDetections(i).get(id));
            }
            rows.add(new Row(id, image, groundTruth.getOrDefault(id, List.of()), per, fused.get(id)));
        }
        return new EnsembleBeforeAfter(rows, names, fusedName, panelSize);
    }

    @Override
    public BufferedImage toImage() {
        int gap = 6;
        int width = 2 * panelSize + 3 * gap;
        BufferedImage out = new BufferedImage(width, LEGEND + Math.max(1, rows.size()) * (panelSize + gap) + gap,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        legend(g, width);
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            int y = LEGEND + gap + r * (panelSize + gap);
            BufferedImage left = BoxOverlay.draw(row.image(), row.truth(), BoxOverlay.TRUTH, null);
            for (int s = 0; s < sourceNames.size(); s++) {
                List<Detection> d = row.perSource().get(s);
                left = BoxOverlay.draw(left, d.stream().map(Detection::box).toList(), SOURCE_COLOURS[s], scores(d));
            }
            BufferedImage right = BoxOverlay.draw(row.image(), row.truth(), BoxOverlay.TRUTH, null);
            right = BoxOverlay.draw(right, row.fused().stream().map(Detection::box).toList(), FUSED, scores(row.fused()));
            g.drawImage(left, gap, y, panelSize, panelSize, null);
            g.drawImage(right, 2 * gap + panelSize, y, panelSize, panelSize, null);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
            String id = row.imageId().length() > 13 ? row.imageId().substring(0, 12) + "..." : row.imageId();
            g.drawString(id + ": each model", gap + 4, y + 14);
            g.drawString(id + ": fused", 2 * gap + panelSize + 4, y + 14);
        }
        g.dispose();
        return out;
    }

    private void legend(Graphics2D g, int width) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int x = 8;
        int y = 18;
        List<String> labels = new ArrayList<>();
        List<Color> colours = new ArrayList<>();
        labels.add("radiologists");
        colours.add(BoxOverlay.TRUTH);
        for (int s = 0; s < sourceNames.size(); s++) {
            labels.add(sourceNames.get(s));
            colours.add(SOURCE_COLOURS[s]);
        }
        labels.add(fusedName);
        colours.add(FUSED);
        for (int i = 0; i < labels.size(); i++) {
            String text = labels.get(i);
            int w = 16 + g.getFontMetrics().stringWidth(text) + 14;
            if (x > 8 && x + w > width) {
                x = 8; // the fused ensemble's name is long: wrap to a second line
                y += 18;
            }
            g.setColor(colours.get(i));
            g.fillRect(x, y - 10, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(text, x + 16, y);
            x += w;
        }
    }

    private static List<String> scores(List<Detection> d) {
        return d.stream().map(x -> String.format(Locale.ROOT, "%.2f", x.score())).toList();
    }
}
