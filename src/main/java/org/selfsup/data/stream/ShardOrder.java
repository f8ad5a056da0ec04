package org.selfsup.data.stream;

import java.util.SplittableRandom;
import org.selfsup.util.Seeds;

/**
 * WebDataset's order of a split stored shard after shard: the shards shuffled, then the samples through a
 * shuffle buffer, both from {@code (seed, epoch)}. {@link TarShards} lays a split out this way and
 * {@link StreamedImages#withShardOrder} reads it in this order; a pure function, so that the streamed set
 * does not depend on the shard reader.
 */
public final class ShardOrder {
    /** Key for the shard-order stream: {@code stream(seed, SHARD_SHUFFLE, epoch)}. */
    static final long SHARD_SHUFFLE = 0x5348;

    private ShardOrder() {}

    /**
     * WebDataset's epoch order over samples stored shard after shard ({@code starts[s]} = first sample
     * of shard {@code s}): the shard order is a permutation from {@code stream(seed, SHARD_SHUFFLE, epoch)},
     * and samples pass through a buffer of {@code buffer} from which a uniformly random one is taken each
     * time a new one comes in (then the rest, drained at random), from {@code stream(seed, SHUFFLE, epoch)}.
     */
    public static int[] epochOrder(int[] starts, int total, int buffer, long seed, int epoch) {
        int[] shardOrder = Seeds.permutation(starts.length, Seeds.stream(seed, SHARD_SHUFFLE, epoch));
        SplittableRandom rng = Seeds.stream(seed, Seeds.SHUFFLE, epoch);
        int[] out = new int[total];
        int[] buf = new int[Math.max(1, buffer)];
        int filled = 0;
        int n = 0;
        for (int s : shardOrder) {
            int end = s + 1 < starts.length ? starts[s + 1] : total;
            for (int i = starts[s]; i < end; i++) {
                if (filled < buf.length) {
                    buf[filled++] = i;
                    continue;
                }
                int j = rng.nextInt(filled);
                out[n++] = buf[j];
                buf[j] = i;
            }
        }
        while (filled > 0) {
            int j = rng.nextInt(filled);
            out[n++] = buf[j];
            buf[j] = buf[--filled];
        }
        return out;
    }
}
