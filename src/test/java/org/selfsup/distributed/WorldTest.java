package org.selfsup.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.selfsup.util.UserException;

class WorldTest {
    @Test
    void readsEachLaunchersVariables() {
        World mpi = World.detect(Map.of("OMPI_COMM_WORLD_RANK", "1", "OMPI_COMM_WORLD_SIZE", "4",
                "OMPI_COMM_WORLD_LOCAL_RANK", "1", "OMPI_COMM_WORLD_LOCAL_SIZE", "2"));
        assertEquals(new World(1, 4, 1, 2, World.Launcher.MPIRUN, null, World.DEFAULT_PORT), mpi);
        World slurm = World.detect(Map.of("SLURM_PROCID", "3", "SLURM_NTASKS", "8", "SLURM_LOCALID", "3",
                "SLURM_STEP_ID", "0", "SLURM_TASKS_PER_NODE", "4(x2)", "SLURM_STEP_NODELIST", "gpu[07-08]"));
        assertEquals(new World(3, 8, 3, 4, World.Launcher.SLURM, "gpu07", World.DEFAULT_PORT), slurm);
        World launch = World.detect(Map.of("SELFSUP_RANK", "0", "SELFSUP_WORLD_SIZE", "2", "SELFSUP_LOCAL_RANK", "0",
                "SELFSUP_LOCAL_WORLD_SIZE", "2", "MASTER_ADDR", "10.0.0.1", "MASTER_PORT", "29600",
                "OMPI_COMM_WORLD_RANK", "5"));
        assertEquals(new World(0, 2, 0, 2, World.Launcher.SELFSUP, "10.0.0.1", 29600), launch);
        assertTrue(launch.writer());
        assertEquals(World.SINGLE, World.detect(Map.of()));
        assertEquals(World.SINGLE, World.detect(Map.of("SLURM_PROCID", "0", "SLURM_NTASKS", "4")), "sbatch script");
    }

    @Test
    void firstHostOfSlurmNodeLists() {
        assertEquals("a", World.firstHost(Map.of("SLURM_JOB_NODELIST", "a,b")));
        assertEquals("n001-ib", World.firstHost(Map.of("SLURM_JOB_NODELIST", "n[001-004,9]-ib")));
        assertEquals("x", World.firstHost(Map.of("SLURM_JOB_NODELIST", "x,y[1-2]")));
    }

    @Test
    void brokenEnvironmentIsAUserError() {
        UserException e = assertThrows(UserException.class, () -> World.detect(Map.of("OMPI_COMM_WORLD_RANK", "x",
                "OMPI_COMM_WORLD_SIZE", "2", "OMPI_COMM_WORLD_LOCAL_RANK", "0")));
        assertTrue(e.getMessage().contains("OMPI_COMM_WORLD_RANK='x'"), e.getMessage());
        assertThrows(UserException.class, () -> World.detect(Map.of("SELFSUP_RANK", "2", "SELFSUP_WORLD_SIZE", "2",
                "SELFSUP_LOCAL_RANK", "0")));
    }
}
