package org.pneumolab.notebook;

import java.awt.image.BufferedImage;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.display.DisplayRenderer;
import org.rapaio.jupyter.kernel.display.DisplayTransformer;
import org.rapaio.jupyter.kernel.display.spi.DisplayProvider;

import tech.tablesaw.api.Table;

/**
 * Registered with the kernel through {@code META-INF/services}: XChart charts and
 * {@link RendersAsImage} results become PNG (through the kernel's image renderer); Tablesaw tables
 * and {@link RendersAsHtml} results become HTML.
 */
public final class LabDisplayProvider implements DisplayProvider {

    @Override
    public List<DisplayRenderer> getDisplayRenderers() {
        return List.of(new HtmlRenderer<>(Table.class, TableHtml::render),
                new HtmlRenderer<>(RendersAsHtml.class, RendersAsHtml::toHtml));
    }

    @Override
    public List<DisplayTransformer> getDisplayTransformers() {
        return List.of(new ImageTransformer());
    }

    private record HtmlRenderer<T>(Class<T> type, java.util.function.Function<T, String> toHtml)
            implements DisplayRenderer {
        @Override
        public Class<?> rendererClass() {
            return type;
        }

        @Override
        public boolean canRender(String mime) {
            return mime == null || mime.isBlank() || mime.contains("html");
        }

        @Override
        public DisplayData render(String mime, Object o) {
            return DisplayData.fromHtml(toHtml.apply(type.cast(o)));
        }
    }

    private static final class ImageTransformer implements DisplayTransformer {
        @Override
        public boolean canTransform(Object o) {
            return o instanceof Chart<?, ?> || o instanceof RendersAsImage;
        }

        @Override
        public Class<?> transformedClass() {
            return BufferedImage.class;
        }

        @Override
        public Object transform(Object o) {
            if (o instanceof RendersAsImage r) {
                return r.toImage();
            }
            return BitmapEncoder.getBufferedImage((Chart<?, ?>) o);
        }
    }
}
