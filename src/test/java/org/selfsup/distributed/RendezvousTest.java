package org.selfsup.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.selfsup.util.UserException;

/** The TCP rendezvous that shares NCCL's unique id outside mpirun: success, busy port, no master, missing rank. */
class RendezvousTest {
    private static World rank(int r, int n, int port) {
        return new World(r, n, r, n, World.Launcher.SELFSUP, "127.0.0.1", port);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void rankZeroSendsTheSameBytesToEveryRank() throws Exception {
        int port = freePort();
        byte[] id = {1, 2, 3, 4, 5};
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<byte[]>> got = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                World w = rank(r, 3, port);
                got.add(pool.submit(() -> Rendezvous.broadcast(w, () -> id.clone(), 20)));
            }
            for (Future<byte[]> f : got) {
                assertArrayEquals(id, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void busyPortIsAUserError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            UserException e = assertThrows(UserException.class,
                    () -> Rendezvous.broadcast(rank(0, 2, taken.getLocalPort()), () -> new byte[1], 5));
            assertTrue(e.getMessage().contains("is busy"), e.getMessage());
        }
    }

    @Test
    void unreachableMasterAndMissingRanksEndWithinTheTimeout() throws Exception {
        int port = freePort();
        UserException e = assertThrows(UserException.class,
                () -> Rendezvous.broadcast(rank(1, 2, port), () -> new byte[1], 1));
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
        e = assertThrows(UserException.class, () -> Rendezvous.broadcast(rank(0, 3, port), () -> new byte[1], 1));
        assertTrue(e.getMessage().contains("only 0 of the 2 other ranks"), e.getMessage());
    }
}
