package org.ketaprint.cli;

/**
 * Marker for a picocli {@code @Command} class that ketaprint discovers as a subcommand. List the class in
 * {@code META-INF/services/org.ketaprint.cli.Subcommand}; nothing else is hard-wired.
 */
public interface Subcommand {
    /** The command line of this subcommand (generated subcommands are added here). */
    default picocli.CommandLine commandLine() {
        return new picocli.CommandLine(this);
    }
}
