/**
 * The {@code kv} command-line tool (picocli).
 *
 * <ul>
 *   <li>{@link io.kvstore.client.cli.KvCli}: the top command, global options, main();
 *   <li>PutCommand, GetCommand, DeleteCommand, StatusCommand, RepairCommand, BenchCommand: the
 *       subcommands; AntiEntropySection (of status) and RepairPrinter (of repair): their output;
 *   <li>ReadQuorum, WriteQuorum: shared --r/--pr and --w/--pw options; Args: value checks;
 *   <li>LoadGenerator, BenchStats, BenchReport, BenchConfig: the load generator of bench;
 *   <li>CliErrors, ExitCodes: error messages and exit codes; DurationConverter,
 *       ContextConverter, ValueFormat, Units: argument and value formats.
 * </ul>
 */
package io.kvstore.client.cli;
