package org.selfsup.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22 item 3: {@code selfsup launch} starts ranks that load nothing from the folder it is started in,
 * and a one-machine job listens on the loopback interface only.
 *
 * <p>Open MPI rewrites the command line of a program named {@code java} (it puts the working directory in
 * front of the class path), so the ranks are started through {@code env}; the class path has absolute
 * entries only (an empty one would mean the working directory).
 */
class LaunchIsolationTest {
    @TempDir
    Path dir;

    private static final ProcessLauncher.Plan MPI = new ProcessLauncher.Plan(2, 1, 0, "127.0.0.1", 29500, true,
            List.of("train"));

    @Test
    void mpirunStartsTheJvmThroughEnvWithAbsoluteClassPath() {
        List<String> java = ProcessLauncher.javaCommand(org.selfsup.cli.Main.class, List.of("train"));
        List<String> cmd = ProcessLauncher.mpirunCommand("/usr/bin/mpirun", MPI, java, true, 1);
        int program = cmd.indexOf(java.get(0)) - 1; // what mpirun starts: the element before the JVM
        assertTrue(program > 0, cmd.toString());
        assertNotEquals("java", Path.of(cmd.get(program)).getFileName().toString(), cmd.toString());
        assertTrue(cmd.get(program).endsWith("/env"), cmd.toString());
        assertTrue(cmd.containsAll(List.of("--allow-run-as-root", "--oversubscribe")), cmd.toString());
        String cp = java.get(java.indexOf("-cp") + 1);
        for (String e : cp.split(File.pathSeparator)) {
            assertTrue(Path.of(e).isAbsolute(), "class path entry " + e);
        }
        String mixed = String.join(File.pathSeparator, "lib/a.jar", "", "/opt/b.jar", "");
        assertEquals(String.join(File.pathSeparator, Path.of("lib/a.jar").toAbsolutePath().toString(), "/opt/b.jar"),
                ProcessLauncher.classPath(mixed), "no empty entry (the working directory), none relative");
    }

    @Test
    void oneMachineJobsStayOnTheLoopbackInterface() throws Exception {
        Map<String, String> mpi = ProcessLauncher.loopbackEnv(Map.of(), true);
        assertEquals("lo", mpi.get("OMPI_MCA_oob_tcp_if_include"));
        assertEquals("lo", mpi.get("PRTE_MCA_oob_tcp_if_include"));
        assertEquals("lo", mpi.get("OMPI_MCA_btl_tcp_if_include"));
        assertEquals("^tcp", mpi.get("OMPI_MCA_btl"));
        assertEquals(Map.of("NCCL_SOCKET_IFNAME", "lo"), ProcessLauncher.loopbackEnv(Map.of(), false));
        // the user's own choice is kept (and an exclude list is not combined with an include list)
        assertFalse(ProcessLauncher.loopbackEnv(Map.of("OMPI_MCA_btl_tcp_if_exclude", "docker0"), true)
                .containsKey("OMPI_MCA_btl_tcp_if_include"));
        assertFalse(ProcessLauncher.loopbackEnv(Map.of("NCCL_SOCKET_IFNAME", "ib0"), false)
                .containsKey("NCCL_SOCKET_IFNAME"));
        // the rendezvous listens where MASTER_ADDR is: the loopback for one machine
        assertTrue(Rendezvous.bindAddress("127.0.0.1").isLoopbackAddress());
        assertTrue(Rendezvous.bindAddress("localhost").isLoopbackAddress());
        assertNull(Rendezvous.bindAddress(null));
        assertNull(Rendezvous.bindAddress("192.0.2.1"), "an address of no interface here: every interface");
        World w = new World(0, 1, 0, 1, World.Launcher.SELFSUP, "127.0.0.1", freePort());
        // a one-rank rendezvous binds and returns at once; while it listens, nothing but loopback is bound
        assertEquals(3, Rendezvous.broadcast(w, () -> new byte[] {1, 2, 3}, 5).length);
    }

    /**
     * A working directory holding an {@code org/selfsup/cli/Main.class} that prints HIJACKED: the rank must
     * run selfsup's Main (it prints the version). The direct start (the NCCL backend's) runs anywhere;
     * the mpirun start needs Open MPI.
     */
    @Test
    void ranksDoNotLoadClassesFromTheWorkingDirectory() throws Exception {
        Path cwd = hostileFolder();
        String direct = launch(cwd, "nccl");
        assertTrue(direct.contains("selfsup") && !direct.contains("HIJACKED"), direct);
        Assumptions.assumeTrue(ProcessLauncher.findOnPath("mpirun") != null,
                "mpirun is not on the PATH: install Open MPI (apt-get install openmpi-bin) to run the mpirun start");
        String mpi = launch(cwd, "mpi");
        assertTrue(mpi.contains("selfsup") && !mpi.contains("HIJACKED"), mpi);
    }

    /**
     * Two MPI ranks through {@code selfsup launch} run to their end: with Open MPI's UCX transport, UCX's
     * SIGSEGV handler killed a rank ("Caught signal 11", exit 134) in 5 of 5 runs of this command before
     * {@code UCX_ERROR_SIGNALS} was emptied for the ranks.
     */
    @Test
    void twoMpiRanksRunToTheirEnd() throws Exception {
        Assumptions.assumeTrue(ProcessLauncher.findOnPath("mpirun") != null,
                "mpirun is not on the PATH: install Open MPI (apt-get install openmpi-bin) to run the 2-process start");
        Path cwd = Files.createDirectories(dir.resolve("two"));
        String out = run(cwd, Map.of(), "launch", "--nproc-per-node", "2", "--backend", "mpi", "--", "bench", "step",
                "--arch", "small", "--width", "4", "--batch", "4", "--size", "8", "--steps", "20", "--warmup", "1",
                "--device", "cpu");
        assertTrue(out.contains("bench step rank 1/2") && !out.contains("Segmentation"), out);
    }

    private Path hostileFolder() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        Path src = Files.createDirectories(dir.resolve("src/org/selfsup/cli")).resolve("Main.java");
        Files.writeString(src, "package org.selfsup.cli; public class Main { public static void main(String[] a) {"
                + " System.out.println(\"HIJACKED\"); } }");
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", cwd.toString(),
                src.toString()));
        assertTrue(Files.exists(cwd.resolve("org/selfsup/cli/Main.class")));
        return cwd;
    }

    /** {@code selfsup launch --nproc-per-node 1 --backend B -- --version} in a child JVM started in {@code cwd}. */
    private String launch(Path cwd, String backend) throws Exception {
        return run(cwd, Map.of(), "launch", "--nproc-per-node", "1", "--backend", backend, "--", "--version");
    }

    /** {@code selfsup args} in a child JVM started in {@code cwd} (the UCX setting as the user's shell has it). */
    private String run(Path cwd, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", ProcessLauncher.classPath(System.getProperty("java.class.path")), "-Xmx256m",
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "org.selfsup.cli.Main"));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("run-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().remove("UCX_ERROR_SIGNALS");
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "launch did not finish");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
