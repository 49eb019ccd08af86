import ArgumentParser
import Foundation
import MetronCore
import MetronExec
import MetronReport
import MetronRunner

/// `metron doctor`: what on this machine will move measurements, each with a concrete fix
/// (pyperf's `system show` is the model).
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check what on this machine will disturb measurements (frequency scaling, turbo, SMT, steal, load, ASLR, isolated CPUs, timer jitter), with fixes.",
        discussion: "Takes about a second (it samples steal time and the timer). Exit status 0; with --strict, 1 when a warning is found.")

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Flag(help: "Exit 1 when any check warns (for CI jobs that must run on a tuned machine).")
    var strict = false

    @Option(help: "Colours: auto, always, never.")
    var color: String = "auto"

    func run() throws {
        guard let mode = TerminalStyle.Mode(rawValue: color) else { throw ValidationError("--color must be auto, always or never") }
        TerminalStyle.detect(color: mode, environment: ProcessInfo.processInfo.environment).activate()
        let state = MachineStateCollector.collect()
        let findings = MachineHealth.findings(state)
        if json {
            try printJSON(findings)
        } else {
            print(DoctorReport.render(findings, state: state))
        }
        if strict && findings.contains(where: { $0.level == .warning }) { throw ExitCode(ExitStatus.failure) }
    }
}
