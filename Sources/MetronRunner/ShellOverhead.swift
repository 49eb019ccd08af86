import MetronCore

/// The cost of starting the shell itself (`sh -c ''`), subtracted from every run when commands
/// go through a shell, so that `--shell sh 'sleep 0.1'` reports the sleep, not sh + sleep.
public struct ShellOverhead: Sendable, Equatable {
    public var wallTime: Double
    public var userTime: Double
    public var systemTime: Double

    public static let zero = ShellOverhead(wallTime: 0, userTime: 0, systemTime: 0)

    /// Measures `shell -c ''` `runs` times after a few warm-ups; the means are the overhead.
    public static func measure(shell: String, runner: any Executor, runs: Int = 50) throws -> ShellOverhead {
        let launch = runner.prepare(try ShellCommand.launchSpec(for: "", shell: .shell(shell), output: .discard))
        for _ in 0..<3 { _ = try runner.run(launch) }
        var wall = 0.0, user = 0.0, system = 0.0
        for _ in 0..<runs {
            let outcome = try runner.run(launch)
            if outcome.interrupted { throw RunnerError.interrupted(signal: runner.interruption ?? 2) }
            wall += outcome.wallTime
            user += outcome.userTime
            system += outcome.systemTime
        }
        let n = Double(runs)
        return ShellOverhead(wallTime: wall / n, userTime: user / n, systemTime: system / n)
    }

    func subtract(from outcome: ProcessOutcome) -> ProcessOutcome {
        var corrected = outcome
        corrected.wallTime = max(0, outcome.wallTime - wallTime)
        corrected.userTime = max(0, outcome.userTime - userTime)
        corrected.systemTime = max(0, outcome.systemTime - systemTime)
        return corrected
    }
}

/// Turns a command line into a LaunchSpec for the chosen shell.
public enum ShellCommand {
    public static func launchSpec(for command: String, shell: ShellChoice, output: OutputDisposition,
                                  environment: [String: String] = [:], directory: String? = nil,
                                  input: String? = nil) throws -> LaunchSpec {
        switch shell {
        case .none:
            let words: [String]
            do {
                words = try CommandLineWords.split(command)
            } catch let error as CommandLineWords.SplitError {
                throw RunnerError.invalidCommand(command, reason: error.description)
            }
            guard let path = ExecutableLookup.resolve(words[0], directory: directory) else {
                throw RunnerError.commandNotFound(directory.map { "\(words[0]) (in \($0))" } ?? words[0])
            }
            return LaunchSpec(arguments: words, executablePath: path, output: output, environment: environment,
                              directory: directory, input: input)
        case .shell(let shell):
            // A shell with its own options ("bash --norc"), as hyperfine accepts.
            let words = (try? CommandLineWords.split(shell)) ?? [shell]
            guard let name = words.first, let path = ExecutableLookup.resolve(name) else { throw RunnerError.commandNotFound(shell) }
            return LaunchSpec(arguments: words + ["-c", command], executablePath: path, output: output,
                              environment: environment, directory: directory, input: input)
        }
    }
}
