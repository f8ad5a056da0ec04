package org.selfsup.data;

/**
 * This process's share of every epoch's image order in data-parallel training, as PyTorch's
 * {@code DistributedSampler} cuts it: the epoch's permutation is padded by repeating its beginning up to
 * a multiple of {@code count} (so every rank takes the same number of steps), and rank {@code r} takes
 * positions {@code r, r + count, r + 2 count, ...}.
 *
 * <p>With a per-rank batch of {@code b = B / count}, local batch {@code k} of rank {@code r} holds the
 * global positions {@code k B + j count + r} ({@code j < b}): the ranks' batches {@code k} together are
 * exactly global batch {@code k} of a one-process run with batch {@code B}. The permutation itself comes
 * from (seed, epoch) only, so every rank computes the same one.
 *
 * @param rank  this process's rank, {@code 0 <= rank < count}
 * @param count number of ranks
 */
public record Shard(int rank, int count) {
    /** The whole order (one process). */
    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || rank < 0 || rank >= count) {
            throw new IllegalArgumentException("shard " + rank + " of " + count);
        }
    }

    /** Images per rank and epoch for {@code n} images: {@code ceil(n / count)}. */
    public int size(int n) {
        return (n + count - 1) / count;
    }

    /** This rank's positions of {@code order}, padded as described above; {@code order} itself when whole. */
    public int[] of(int[] order) {
        if (count == 1) {
            return order;
        }
        int n = order.length;
        int per = size(n);
        int[] out = new int[per];
        for (int i = 0; i < per; i++) {
            // wraps onto the start of the permutation for the padding (DistributedSampler's rule)
            out[i] = order[(rank + i * count) % n];
        }
        return out;
    }

    @Override
    public String toString() {
        return count == 1 ? "all" : "rank " + rank + " of " + count;
    }
}
