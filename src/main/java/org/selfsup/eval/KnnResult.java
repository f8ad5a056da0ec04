package org.selfsup.eval;

/**
 * Outcome of a kNN evaluation.
 *
 * @param top1   top-1 accuracy in percent over all scored test images
 * @param top5   top-5 accuracy in percent (100 when there are at most 5 classes)
 * @param scored number of test images scored (every test image: no drop_last)
 * @param k      number of neighbours actually used (min(k, bank size))
 */
public record KnnResult(double top1, double top5, int scored, int k) {}
