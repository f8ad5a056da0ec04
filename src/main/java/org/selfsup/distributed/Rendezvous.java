package org.selfsup.distributed;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.selfsup.util.UserException;

/**
 * The TCP rendezvous of a job started without mpirun ({@code selfsup launch}, srun): rank 0 listens on
 * {@code MASTER_PORT}, every other rank connects to {@code MASTER_ADDR:MASTER_PORT} and announces its rank
 * and the job size, and rank 0 sends each of them the same bytes (NCCL's unique id). Busy port,
 * unknown or unreachable master, a rank missing after the timeout, mismatched job sizes: a
 * {@link UserException} naming the cause (exit code 2).
 */
public final class Rendezvous {
    private static final int MAGIC = 0x53535550; // "SSUP"

    private Rendezvous() {}

    /**
     * Rank 0 sends {@code payload.get()} to all ranks; every rank returns it.
     *
     * @param world          the job
     * @param payload        evaluated on rank 0 only
     * @param timeoutSeconds how long rank 0 waits for the others and they retry connecting
     */
    public static byte[] broadcast(World world, Supplier<byte[]> payload, double timeoutSeconds) {
        long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        try {
            return world.rank() == 0 ? serve(world, payload.get(), deadline, timeoutSeconds)
                    : join(world, deadline, timeoutSeconds);
        } catch (IOException e) {
            throw new UserException("distributed: rendezvous on " + where(world) + " failed: " + e.getMessage());
        }
    }

    private static byte[] serve(World world, byte[] data, long deadline, double timeout) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            try {
                server.bind(new InetSocketAddress(bindAddress(world.masterAddr()), world.masterPort()));
            } catch (BindException e) {
                throw new UserException("distributed: master port " + world.masterPort() + " is busy on this machine ("
                        + e.getMessage() + "); choose another with --master-port or MASTER_PORT");
            }
            List<Socket> peers = new ArrayList<>();
            Set<Integer> seen = new HashSet<>();
            try {
                while (peers.size() < world.size() - 1) {
                    int left = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                    server.setSoTimeout(left);
                    Socket s;
                    try {
                        s = server.accept();
                    } catch (SocketTimeoutException e) {
                        throw new UserException("distributed: only " + peers.size() + " of the " + (world.size() - 1)
                                + " other ranks reached the rendezvous on port " + world.masterPort() + " within "
                                + (long) timeout + " s (dist-timeout); start all ranks, with the same --nnodes and "
                                + "--nproc-per-node");
                    }
                    peers.add(s);
                    s.setSoTimeout(left);
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    int magic = in.readInt();
                    int rank = in.readInt();
                    int size = in.readInt();
                    if (magic != MAGIC) {
                        throw new UserException("distributed: a foreign program connected to the master port "
                                + world.masterPort() + "; choose another with --master-port or MASTER_PORT");
                    }
                    if (size != world.size() || rank <= 0 || rank >= size || !seen.add(rank)) {
                        throw new UserException("distributed: a rank announced itself as rank " + rank + " of " + size
                                + ", but rank 0 runs a job of " + world.size() + " ranks (or that rank is taken): "
                                + "start every node with the same --nnodes / --nproc-per-node and distinct --node-rank");
                    }
                }
                for (Socket s : peers) {
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    out.writeInt(data.length);
                    out.write(data);
                    out.flush();
                }
            } finally {
                for (Socket s : peers) {
                    s.close();
                }
            }
            return data;
        }
    }

    private static byte[] join(World world, long deadline, double timeout) throws IOException {
        if (world.masterAddr() == null) {
            throw new UserException("distributed: MASTER_ADDR is not set (rank " + world.rank()
                    + " needs rank 0's host for the rendezvous): use --master-addr or set MASTER_ADDR");
        }
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(world.masterAddr(), world.masterPort()), 2000);
                s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeInt(MAGIC);
                out.writeInt(world.rank());
                out.writeInt(world.size());
                out.flush();
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] data = new byte[in.readInt()];
                in.readFully(data);
                return data;
            } catch (UnknownHostException e) {
                throw new UserException("distributed: master address '" + world.masterAddr() + "' is not a known host");
            } catch (IOException e) {
                last = e;
                try {
                    Thread.sleep(250);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new UserException("distributed: interrupted while waiting for the master at " + where(world));
                }
            }
        }
        throw new UserException("distributed: master " + where(world) + " unreachable for " + (long) timeout
                + " s (" + (last == null ? "timeout" : last.getMessage()) + "); check --master-addr/--master-port "
                + "(MASTER_ADDR/MASTER_PORT) and that rank 0 is running");
    }

    /**
     * Where rank 0 listens: only where the other ranks reach it, MASTER_ADDR, when that is this machine's
     * loopback (a one-machine job: nothing else can connect) or one of its interfaces (several machines);
     * every interface (null) only when MASTER_ADDR is unset or names no address of this machine (behind NAT).
     */
    static java.net.InetAddress bindAddress(String masterAddr) {
        if (masterAddr == null || masterAddr.isBlank()) {
            return null;
        }
        try {
            java.net.InetAddress a = java.net.InetAddress.getByName(masterAddr);
            if (a.isLoopbackAddress() || java.net.NetworkInterface.getByInetAddress(a) != null) {
                return a;
            }
        } catch (IOException e) {
            // unknown here: the other ranks report it; listen everywhere as before
        }
        return null;
    }

    private static String where(World w) {
        return (w.masterAddr() == null ? "localhost" : w.masterAddr()) + ":" + w.masterPort();
    }
}
