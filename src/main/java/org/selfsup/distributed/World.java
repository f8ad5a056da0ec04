package org.selfsup.distributed;

import java.util.Map;
import org.selfsup.util.UserException;

/**
 * Where this process sits in a data-parallel job, read from the launcher's environment: {@code selfsup
 * launch} ({@code SELFSUP_RANK}, {@code SELFSUP_WORLD_SIZE}, {@code SELFSUP_LOCAL_RANK},
 * {@code MASTER_ADDR}, {@code MASTER_PORT}), Open MPI's {@code mpirun} ({@code OMPI_COMM_WORLD_RANK},
 * {@code _SIZE}, {@code _LOCAL_RANK}) or SLURM's {@code srun} ({@code SLURM_PROCID}, {@code SLURM_NTASKS},
 * {@code SLURM_LOCALID}), in that order of precedence; none of them means one process.
 *
 * @param rank       global rank, {@code 0 <= rank < size}
 * @param size       number of processes
 * @param localRank  rank on this machine (selects {@code gpu:localRank})
 * @param localSize  ranks on this machine (they share its CPU cores)
 * @param launcher   which launcher started the process
 * @param masterAddr host of rank 0 for the TCP rendezvous (NCCL outside mpirun); null if not given
 * @param masterPort its port
 */
public record World(int rank, int size, int localRank, int localSize, Launcher launcher, String masterAddr, int masterPort) {
    /** Default rendezvous port (torchrun's). */
    public static final int DEFAULT_PORT = 29500;

    /** The launcher that started the process. */
    public enum Launcher { NONE, SELFSUP, MPIRUN, SLURM }

    /** One process, no launcher. */
    public static final World SINGLE = new World(0, 1, 0, 1, Launcher.NONE, null, DEFAULT_PORT);

    public World {
        if (size < 1 || rank < 0 || rank >= size || localRank < 0 || localSize < 1) {
            throw new UserException("distributed: rank " + rank + " of " + size + " (local rank " + localRank
                    + ") from the " + launcher + " environment is not a valid position");
        }
    }

    /** Reads the process environment. */
    public static World detect() {
        return detect(System.getenv());
    }

    /** Reads {@code env} (see the class comment). */
    public static World detect(Map<String, String> env) {
        String addr = env.get("MASTER_ADDR");
        int port = env.containsKey("MASTER_PORT") ? number(env, "MASTER_PORT") : DEFAULT_PORT;
        if (env.containsKey("SELFSUP_RANK")) {
            return new World(number(env, "SELFSUP_RANK"), number(env, "SELFSUP_WORLD_SIZE"),
                    number(env, "SELFSUP_LOCAL_RANK"), leading(env, "SELFSUP_LOCAL_WORLD_SIZE"), Launcher.SELFSUP, addr, port);
        }
        if (env.containsKey("OMPI_COMM_WORLD_RANK")) {
            return new World(number(env, "OMPI_COMM_WORLD_RANK"), number(env, "OMPI_COMM_WORLD_SIZE"),
                    number(env, "OMPI_COMM_WORLD_LOCAL_RANK"), leading(env, "OMPI_COMM_WORLD_LOCAL_SIZE"),
                    Launcher.MPIRUN, addr, port);
        }
        if (env.containsKey("SLURM_PROCID") && env.containsKey("SLURM_NTASKS")
                && number(env, "SLURM_NTASKS") > 1) {
            // under sbatch without srun SLURM_PROCID=0 and NTASKS may be > 1 for the batch script itself;
            // SLURM_STEP_ID marks a task started by srun.
            if (!env.containsKey("SLURM_STEP_ID")) {
                return SINGLE;
            }
            return new World(number(env, "SLURM_PROCID"), number(env, "SLURM_NTASKS"),
                    number(env, "SLURM_LOCALID"), leading(env, "SLURM_TASKS_PER_NODE"), Launcher.SLURM, addr != null ? addr : firstHost(env), port);
        }
        return SINGLE;
    }

    /** Whether more than one process takes part. */
    public boolean distributed() {
        return size > 1;
    }

    /** Whether this process writes the run folder (rank 0). */
    public boolean writer() {
        return rank == 0;
    }

    /** "rank 1/4" for messages. */
    public String label() {
        return "rank " + rank + "/" + size;
    }

    /** The leading integer of {@code key} ("2(x3)" in SLURM's task lists), 1 if unset. */
    private static int leading(Map<String, String> env, String key) {
        String v = env.get(key);
        if (v == null) {
            return 1;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*(\\d+)").matcher(v);
        return m.find() ? Math.max(1, Integer.parseInt(m.group(1))) : 1;
    }

    private static int number(Map<String, String> env, String key) {
        String v = env.get(key);
        if (v == null) {
            throw new UserException("distributed: environment variable " + key + " is not set (the launcher set "
                    + "some of its variables but not this one)");
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UserException("distributed: environment variable " + key + "='" + v + "' is not an integer");
        }
    }

    /**
     * The first host of SLURM's node list for the simple forms {@code a,b}, {@code pre[01-04,07]} and
     * {@code pre[01-04]suf}; null when there is no list (then {@code MASTER_ADDR} must be set for NCCL).
     */
    static String firstHost(Map<String, String> env) {
        String list = env.getOrDefault("SLURM_STEP_NODELIST", env.get("SLURM_JOB_NODELIST"));
        if (list == null || list.isBlank()) {
            return null;
        }
        int bracket = list.indexOf('[');
        int comma = list.indexOf(',');
        if (bracket < 0 || (comma >= 0 && comma < bracket)) {
            return comma < 0 ? list.trim() : list.substring(0, comma).trim();
        }
        int close = list.indexOf(']', bracket);
        String inner = list.substring(bracket + 1, close < 0 ? list.length() : close);
        String first = inner.split(",")[0].split("-")[0];
        String suffix = close < 0 ? "" : list.substring(close + 1).split(",")[0];
        return list.substring(0, bracket) + first + suffix;
    }
}
