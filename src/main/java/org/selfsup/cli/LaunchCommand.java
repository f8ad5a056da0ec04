package org.selfsup.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.selfsup.distributed.ProcessLauncher;
import org.selfsup.distributed.World;
import org.selfsup.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code selfsup launch}: starts this machine's ranks of a data-parallel job (like torchrun). */
@Command(name = "launch", mixinStandardHelpOptions = true,
        description = {"Starts one process per device for data-parallel training and waits for them, like torchrun: "
                + "selfsup launch --nproc-per-node 2 -- train --preset demo. When a rank fails the others are "
                + "stopped; SIGINT/SIGTERM are passed on to the ranks. The global --batch-size is split evenly over "
                + "the ranks; rank 0 writes the run folder.",
            "Backends: nccl (GPUs: rank i of this machine uses gpu(i); the ranks meet at --master-addr:--master-port) "
                + "and mpi (CPU engine: the ranks run under Open MPI's mpirun, one machine; for several machines use "
                + "mpirun or srun directly)."})
public final class LaunchCommand implements Callable<Integer> {
    @Option(names = "--nproc-per-node", required = true, description = "Ranks to start on this machine (one per GPU).")
    int nprocPerNode;

    @Option(names = "--nnodes", defaultValue = "1", description = "Machines in the job. Default: ${DEFAULT-VALUE}.")
    int nnodes;

    @Option(names = "--node-rank", defaultValue = "0",
            description = "Index of this machine, 0..nnodes-1 (machine 0 hosts rank 0). Default: ${DEFAULT-VALUE}.")
    int nodeRank;

    @Option(names = "--master-addr", defaultValue = "127.0.0.1",
            description = "Host name or address of machine 0, reachable from every machine. Default: ${DEFAULT-VALUE}.")
    String masterAddr;

    @Option(names = "--master-port", defaultValue = "" + World.DEFAULT_PORT,
            description = "Free TCP port on machine 0 for the rendezvous (NCCL). Default: ${DEFAULT-VALUE}.")
    int masterPort;

    @Option(names = "--backend", defaultValue = "auto",
            description = "auto (nccl when a GPU is visible, else mpi), nccl or mpi. Default: ${DEFAULT-VALUE}.")
    String backend;

    @Parameters(arity = "1..*", paramLabel = "COMMAND",
            description = "The selfsup command each rank runs, after '--' (e.g. -- train --preset demo, "
                    + "-- bench step --batch 64).")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        boolean mpi = switch (backend) {
            case "mpi" -> true;
            case "nccl" -> false;
            case "auto" -> ai.djl.util.cuda.CudaUtils.getGpuCount() == 0;
            default -> throw new UserException("--backend: unknown value '" + backend + "' (auto, nccl, mpi)");
        };
        if (!command.isEmpty() && command.get(0).equals("launch")) {
            throw new UserException("launch: the command to start cannot be launch itself");
        }
        ProcessLauncher.Plan plan = new ProcessLauncher.Plan(nprocPerNode, nnodes, nodeRank, masterAddr, masterPort,
                mpi, command);
        return ProcessLauncher.run(plan, Main.class, System.err);
    }
}
