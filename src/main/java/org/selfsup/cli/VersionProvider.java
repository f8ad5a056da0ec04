package org.selfsup.cli;

import picocli.CommandLine;

/** Reports the selfsup version from the jar manifest (or "dev" when run from classes). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"selfsup " + (v == null ? "0.1.0-dev" : v),
                "Java " + System.getProperty("java.version") + ", DJL 0.35.0 (bundled JNI for libtorch " + org.selfsup.natives.TorchInstall.REQUIRED + "; other versions need a JNI built for them: see selfsup doctor)"};
    }
}
