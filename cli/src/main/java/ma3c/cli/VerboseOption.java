package ma3c.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** --verbose, on a program's top command and every subcommand (a mixin; see CliErrors). */
public final class VerboseOption {
  @Option(names = CliErrors.VERBOSE, scope = ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  boolean verbose;
}
