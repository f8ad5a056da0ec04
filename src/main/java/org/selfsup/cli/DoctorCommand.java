package org.selfsup.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.selfsup.job.Doctor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code selfsup doctor}: engine, libtorch, devices, precision features and the GPU set-up. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check the engine, the loaded libtorch, the devices, which of bf16, fp16, channels-last, TF32 "
                + "and cuDNN benchmarking work here, and the GPU set-up.",
            "",
            "The GPU set-up needs a PyTorch with CUDA on disk: 2.7.1 (pip install torch==2.7.1, whose JNI DJL "
                    + "bundles), or another version with a DJL JNI built for it; doctor lists the installations it "
                    + "finds and prints the environment that makes DJL use one (the selfsup launcher sets it itself), "
                    + "or the command to install one.",
            "",
            "Exit 0 when the engine starts, 2 when it cannot (the report then says why and what to install)."})
public final class DoctorCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--env", description = "Print only the export lines of the GPU set-up (for eval); exit 2 "
            + "when no usable PyTorch is found. Default: ${DEFAULT-VALUE}.")
    boolean envOnly;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Doctor doctor = new Doctor(System.getenv());
        if (envOnly) {
            List<String> exports = doctor.exports();
            if (exports.isEmpty()) {
                spec.commandLine().getErr().println("doctor --env: no usable PyTorch with CUDA found; install one with: "
                        + Doctor.PIP_INSTALL);
                spec.commandLine().getErr().flush();
                return 2;
            }
            exports.forEach(out::println);
        } else {
            doctor.report().forEach(out::println);
            if (doctor.engineFailed()) {
                out.flush();
                return 2; // the report says why and what to install
            }
        }
        out.flush();
        return 0;
    }
}
