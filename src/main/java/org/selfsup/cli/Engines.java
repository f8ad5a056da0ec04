package org.selfsup.cli;

/** Engine start-up settings shared by every command. */
final class Engines {
    private Engines() {}

    /**
     * Keeps DJL from reaching the network: no model-zoo or native downloads on the CPU path and no
     * telemetry call at engine start-up. The launcher also sets the matching environment variables.
     */
    static void configureOffline() {
        if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        System.setProperty("OPT_OUT_TRACKING", "true");
        org.selfsup.natives.NativeSearchPath.install(System.getenv("LD_LIBRARY_PATH"));
    }
}
