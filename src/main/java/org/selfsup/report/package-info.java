/**
 * Run reports: {@link org.selfsup.report.Metrics} reads {@code metrics.jsonl}; {@link org.selfsup.report.RunReport}
 * writes {@code report.html} and {@code charts/*.png} (XChart) into a run directory; {@link
 * org.selfsup.report.RunComparison} overlays several runs and writes a Markdown/CSV/HTML table. Every file is
 * written atomically ({@link org.selfsup.report.AtomicFiles}).
 */
package org.selfsup.report;
