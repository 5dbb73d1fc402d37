package io.kvstore.clustertests.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.HistoryReader;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @Test
  void summaryLineNamesOpsOutcomesLossAndVerdicts() {
    Hist t = LostWritesCheckerTest.setAddRun(3, true);
    List<CheckResult> results = List.of(new LostWritesChecker().check(t.h),
        new ConvergenceChecker(0, Map.of()).check(t.h), new SanityChecker(1).check(t.h));
    Summary s = Summary.of("negative-control", t.h, results);
    String line = s.line();
    assertTrue(line.startsWith("negative-control seed=1 ops=" + t.h.pairs().size() + " ok="), line);
    assertTrue(line.contains(" lost=" + results.get(0).count("lost") + " "), line);
    assertTrue(line.contains(" C1=FAIL C2=FAIL sanity=PASS => FAIL"), line);
    assertTrue(line.contains("convergence=-"), line);
    assertEquals(s.ok() + s.fail() + s.info(), s.ops());
  }

  @Test
  void reportFolderHoldsHistorySummaryAndTimeline(@TempDir Path dir) throws IOException {
    Hist t = LostWritesCheckerTest.setAddRun(5, false);
    t.fault("partition", 50);
    List<CheckResult> results = List.of(new LostWritesChecker().check(t.h));
    List<CheckResult> reported = List.of(new ResurrectionChecker().check(t.h));
    Path folder = Report.write(dir, "set add/partition", t.h, results, reported);
    assertEquals(dir.resolve("set_add_partition"), folder);
    History back = HistoryReader.read(folder.resolve("history.jsonl"));
    assertEquals(t.h.ops(), back.ops());
    List<String> summary = Files.readAllLines(folder.resolve("summary.txt"));
    assertEquals(Summary.of("set add/partition", t.h, results).line(), summary.get(0));
    assertTrue(summary.contains("C1 no lost writes: PASS"), summary.toString());
    int informational = summary.indexOf("Reported, not enforced:");
    assertTrue(informational > summary.indexOf("C1 no lost writes: PASS"), summary.toString());
    assertTrue(summary.indexOf("C4 no resurrection: PASS") > informational, summary.toString());
    assertTrue(!summary.get(0).contains("C4"), "a reported checker is not in the verdict line");
    int table = summary.indexOf("Availability (liveness beside safety)");
    assertTrue(table > 0 && table < summary.indexOf("C1 no lost writes: PASS"), summary.toString());
    assertTrue(summary.stream().anyMatch(l -> l.startsWith("#0 partition ")), summary.toString());
    BufferedImage png = ImageIO.read(folder.resolve("timeline.png").toFile());
    assertEquals(1600, png.getWidth());
  }
}
