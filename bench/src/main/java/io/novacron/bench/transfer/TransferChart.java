package io.novacron.bench.transfer;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.imageio.ImageIO;

/**
 * Draws the benchmark as a PNG: per link and data set, one horizontal bar per method, its length
 * the speedup over the raw copy on the same link (the dashed line is 1x). Engine rows are blue,
 * external tools grey. Plain Java2D, headless: no chart library for one picture.
 */
final class TransferChart {
  private static final int WIDTH = 1100;
  private static final int LABEL = 330;
  private static final int BAR = 15;
  private static final int GAP = 4;
  private static final int TITLE = 26;
  private static final Color ENGINE = new Color(0x1f, 0x6f, 0xb4);
  private static final Color TOOL = new Color(0x8c, 0x8c, 0x8c);

  private final List<Measurement> results;
  private final Function<Measurement, Optional<Double>> speedup;

  TransferChart(List<Measurement> results, Function<Measurement, Optional<Double>> speedup) {
    this.results = results;
    this.speedup = speedup;
  }

  void write(Path png) throws IOException {
    Map<String, List<Measurement>> groups = new LinkedHashMap<>();
    for (Measurement m : results) {
      groups.computeIfAbsent(m.profile() + " link / " + m.dataSet(), k -> new ArrayList<>()).add(m);
    }
    int height = 50 + groups.values().stream().mapToInt(g -> TITLE + g.size() * (BAR + GAP) + 12).sum();
    BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, height);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      g.drawString("Transfer speedup over a raw copy (nc) on the same link; blue: NovaCron engine, grey: other tools", 12, 28);
      int y = 50;
      for (Map.Entry<String, List<Measurement>> group : groups.entrySet()) {
        y = drawGroup(g, group.getKey(), group.getValue(), y);
      }
    } finally {
      g.dispose();
    }
    ImageIO.write(image, "png", png.toFile());
  }

  private int drawGroup(Graphics2D g, String title, List<Measurement> rows, int y) {
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.drawString(title, 12, y + 16);
    y += TITLE;
    double max = rows.stream().map(speedup).flatMap(Optional::stream).mapToDouble(Double::doubleValue).max().orElse(1);
    double scale = (WIDTH - LABEL - 90) / Math.max(max, 1.0);
    int top = y;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (Measurement m : rows) {
      g.setColor(Color.DARK_GRAY);
      g.drawString(m.method(), 12, y + BAR - 3);
      Optional<Double> x = speedup.apply(m);
      if (x.isPresent()) {
        int w = (int) Math.max(1, Math.round(x.get() * scale));
        g.setColor(m.method().startsWith("engine") ? ENGINE : TOOL);
        g.fillRect(LABEL, y, w, BAR);
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "%.2fx", x.get()), LABEL + w + 6, y + BAR - 3);
      }
      y += BAR + GAP;
    }
    int one = LABEL + (int) Math.round(scale);
    g.setColor(Color.RED);
    g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {4, 3}, 0));
    g.drawLine(one, top - 2, one, y);
    g.setStroke(new BasicStroke(1));
    return y + 12;
  }
}
