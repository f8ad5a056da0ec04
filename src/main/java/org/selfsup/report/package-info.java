/**
 * Run reports: {@link org.selfsup.report.Metrics} reads {@code metrics.jsonl}; {@link org.selfsup.report.RunReport}
 * writes {@code report.html} and {@code charts/*.png} (XChart) into a run directory; {@link
 * org.selfsup.report.RunComparison} overlays several runs and writes a Markdown/CSV/HTML table. Every file is
 * written atomically ({@link org.selfsup.util.AtomicFiles}).
 *
 * <p>May import {@code eval} (the shift analysis it reports) and {@code util}; it reads runs from their files,
 * not through {@code train}.
 */
package org.selfsup.report;
