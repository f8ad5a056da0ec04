package org.selfsup.distributed;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.selfsup.util.UserException;

/**
 * {@code selfsup launch}: starts the ranks of this machine as child JVMs running the given
 * {@code selfsup} command, like torchrun. With NCCL, the children get {@code SELFSUP_RANK},
 * {@code SELFSUP_WORLD_SIZE}, {@code SELFSUP_LOCAL_RANK}, {@code SELFSUP_LOCAL_WORLD_SIZE},
 * {@code MASTER_ADDR} and {@code MASTER_PORT}; the launcher waits for them, and when one fails it stops
 * the others (SIGTERM, then SIGKILL after a grace period) and exits with the failed rank's code. With
 * MPI (the CPU engine, which needs MPI's runtime to form the job) it runs the children under
 * {@code mpirun}, which does the same. SIGINT/SIGTERM to the launcher are passed on to the children.
 */
public final class ProcessLauncher {
    /** Seconds the children get to exit after SIGTERM before they are killed. */
    private static final long GRACE_SECONDS = 15;

    /**
     * What to start.
     *
     * @param nprocPerNode ranks on this machine
     * @param nnodes       machines
     * @param nodeRank     this machine's index
     * @param masterAddr   host of global rank 0
     * @param masterPort   rendezvous port on it
     * @param mpi          run the children under mpirun (CPU engine) instead of directly (NCCL)
     * @param command      the selfsup command and its arguments (e.g. {@code train --preset demo})
     */
    public record Plan(int nprocPerNode, int nnodes, int nodeRank, String masterAddr, int masterPort, boolean mpi,
                       List<String> command) {
        public Plan {
            if (nprocPerNode < 1) {
                throw new UserException("--nproc-per-node: must be at least 1 (got " + nprocPerNode + ")");
            }
            if (nnodes < 1) {
                throw new UserException("--nnodes: must be at least 1 (got " + nnodes + ")");
            }
            if (nodeRank < 0 || nodeRank >= nnodes) {
                throw new UserException("--node-rank: must be in 0.." + (nnodes - 1) + " (got " + nodeRank + ")");
            }
            if (masterPort < 1 || masterPort > 65535) {
                throw new UserException("--master-port: " + masterPort + " is not a TCP port");
            }
            if (command.isEmpty()) {
                throw new UserException("launch: no command given (e.g. selfsup launch --nproc-per-node 2 -- train)");
            }
            if (mpi && nnodes > 1) {
                throw new UserException("--nnodes: the MPI backend (CPU) starts one machine's ranks only; for several "
                        + "machines use mpirun with a host file, or srun");
            }
            command = List.copyOf(command);
        }
    }

    private ProcessLauncher() {}

    /**
     * Runs the plan to its end; returns the exit code for the launcher.
     *
     * @param main the class whose {@code main} each rank runs with the plan's command (the CLI's)
     */
    public static int run(Plan plan, Class<?> main, PrintStream err) {
        List<String> java = javaCommand(main, plan.command());
        return plan.mpi() ? runUnderMpirun(plan, java, err) : runDirect(plan, java, err);
    }

    /** The JVM command line that runs {@code main args} with this JVM's options and class path. */
    static List<String> javaCommand(Class<?> main, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib:jdwp")) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(classPath(System.getProperty("java.class.path")));
        cmd.add(main.getName());
        cmd.addAll(args);
        return cmd;
    }

    /**
     * {@code classPath} with every entry absolute and no empty entry: an empty entry means the working
     * directory to the JVM, and a rank must load nothing from the folder it is started in.
     */
    static String classPath(String classPath) {
        List<String> entries = new ArrayList<>();
        for (String e : classPath.split(File.pathSeparator)) {
            if (!e.isBlank()) {
                entries.add(Path.of(e).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /**
     * The mpirun command line. The JVM is started through {@code env}: when the program mpirun starts is
     * named {@code java}, Open MPI rewrites its arguments, putting the working directory in front of the
     * class path (so an {@code org/selfsup/cli/Main.class}, a logging configuration or a
     * {@code META-INF/services} file in the folder the user launches from would be loaded instead of
     * selfsup's) and the argument after the first one containing "cp" with it.
     */
    static List<String> mpirunCommand(String mpirun, Plan plan, List<String> java, boolean root, int cpus) {
        List<String> cmd = new ArrayList<>(List.of(mpirun, "-np", String.valueOf(plan.nprocPerNode()),
                "--bind-to", "none"));
        if (root) {
            cmd.add("--allow-run-as-root");
        }
        if (plan.nprocPerNode() > cpus) {
            cmd.add("--oversubscribe");
        }
        String env = findOnPath("env");
        cmd.add(env != null ? env : "/usr/bin/env");
        cmd.addAll(java);
        return cmd;
    }

    /**
     * The environment that keeps a one-machine job's sockets on the loopback interface: mpirun's and its
     * daemons' out-of-band channel (Open MPI 4: ORTE's oob; 5: PRRTE's) would otherwise listen on every
     * interface, and the ranks' TCP transport does (0.0.0.0 and [::], measured) even with an interface list,
     * so it is switched off (shared memory carries a one-machine job). NCCL's bootstrap goes to {@code lo}.
     * A value the user set is kept.
     */
    static Map<String, String> loopbackEnv(Map<String, String> current, boolean mpi) {
        Map<String, String> add = new java.util.LinkedHashMap<>();
        if (mpi) {
            add.put("OMPI_MCA_oob_tcp_if_include", "lo");
            add.put("PRTE_MCA_oob_tcp_if_include", "lo");
            // the TCP transport listens on every interface whatever its interface list says: on one machine
            // the ranks talk through shared memory, so it is left out (and kept to loopback if asked for)
            add.put("OMPI_MCA_btl", "^tcp");
            add.put("OMPI_MCA_btl_tcp_if_include", "lo");
        } else {
            add.put("NCCL_SOCKET_IFNAME", "lo");
        }
        add.keySet().removeIf(k -> current.containsKey(k)
                || (k.endsWith("_if_include") && current.containsKey(k.replace("_if_include", "_if_exclude"))));
        return add;
    }

    private static int runUnderMpirun(Plan plan, List<String> java, PrintStream err) {
        String mpirun = findOnPath("mpirun");
        if (mpirun == null) {
            throw new UserException("launch: the MPI backend needs Open MPI's mpirun, which is not on the PATH "
                    + "(Debian/Ubuntu: apt-get install openmpi-bin)");
        }
        List<String> cmd = mpirunCommand(mpirun, plan, java, "root".equals(System.getProperty("user.name")),
                Runtime.getRuntime().availableProcessors());
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().putAll(loopbackEnv(pb.environment(), true)); // the MPI backend runs one machine
        // UCX (Open MPI's ucx transport) installs a SIGSEGV handler that takes the JVM's own (implicit null
        // checks) for crashes: a rank died with "Caught signal 11" in libucs at random (2 of 5 2-rank runs)
        pb.environment().putIfAbsent("UCX_ERROR_SIGNALS", "");
        return supervise(List.of(start(pb)), err, "mpirun");
    }

    private static int runDirect(Plan plan, List<String> java, PrintStream err) {
        int world = plan.nprocPerNode() * plan.nnodes();
        List<Process> procs = new ArrayList<>();
        for (int i = 0; i < plan.nprocPerNode(); i++) {
            ProcessBuilder pb = new ProcessBuilder(java).inheritIO();
            Map<String, String> env = pb.environment();
            env.put("SELFSUP_RANK", String.valueOf(plan.nodeRank() * plan.nprocPerNode() + i));
            env.put("SELFSUP_WORLD_SIZE", String.valueOf(world));
            env.put("SELFSUP_LOCAL_RANK", String.valueOf(i));
            env.put("SELFSUP_LOCAL_WORLD_SIZE", String.valueOf(plan.nprocPerNode()));
            env.put("MASTER_ADDR", plan.masterAddr());
            env.put("MASTER_PORT", String.valueOf(plan.masterPort()));
            if (plan.nnodes() == 1) {
                env.putAll(loopbackEnv(env, false));
            }
            procs.add(start(pb));
        }
        return supervise(procs, err, "rank");
    }

    private static Process start(ProcessBuilder pb) {
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UserException("launch: cannot start " + pb.command().get(0) + ": " + e.getMessage());
        }
    }

    /** Waits for all; the first failure stops the rest. Signals to this JVM stop the children too. */
    private static int supervise(List<Process> procs, PrintStream err, String what) {
        Thread hook = new Thread(() -> stopAll(procs), "launch-stop-children");
        org.selfsup.util.ShutdownHooks.add(hook); // a stop signal waits for it before ending the process
        try {
            while (true) {
                boolean allDone = true;
                for (int i = 0; i < procs.size(); i++) {
                    Process p = procs.get(i);
                    if (p.isAlive()) {
                        allDone = false;
                    } else if (p.exitValue() != 0) {
                        String who = procs.size() == 1 ? what : what + " " + i;
                        err.println("selfsup launch: " + who + " exited with code " + p.exitValue()
                                + (procs.size() > 1 ? "; stopping the other ranks" : ""));
                        err.flush();
                        stopAll(procs);
                        return p.exitValue();
                    }
                }
                if (allDone) {
                    return 0;
                }
                procs.get(0).waitFor(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopAll(procs);
            return 130;
        } finally {
            org.selfsup.util.ShutdownHooks.remove(hook); // when already shutting down, the hook runs
        }
    }

    private static void stopAll(List<Process> procs) {
        for (Process p : procs) {
            if (p.isAlive()) {
                p.destroy(); // SIGTERM: a training rank finishes the checkpoint being written, then exits
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GRACE_SECONDS);
        for (Process p : procs) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }

    static String findOnPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, exe);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
