/// When a template's stages (parsing, the model, the rules) use a second thread. Below these sizes a whole lint
/// takes a few milliseconds, and starting a thread and handing it work costs more than the second core saves
/// (lint of a 10-table template, paired runs: 4.67 ms with threads, 4.31 ms on one).
public enum Parallelism {
    /// A template of this many bytes or more is parsed on two threads.
    public static let minimumBytes = 64 * 1024
    /// A template with this many tables or more is modelled and linted on every core: about the tables of a
    /// template of `minimumBytes` (a table with its indexes is one to two kilobytes of YAML).
    public static let minimumTables = 32
}
