import ArgumentParser
import Foundation
import MetronCore
import MetronExec
import MetronJSON
import MetronReport
import MetronRunner

/// `metron profile`: where a command spends its time and its memory. The CPU profile comes from
/// `perf record` (the cpu-clock event, so it works without hardware counters) or, with
/// `--valgrind` or where perf cannot run, from the instructions Valgrind's callgrind counts per
/// call chain; folded, Swift symbols demangled, and drawn as an interactive flame graph; with
/// `--baseline` a differential one. `--heap` adds Valgrind massif's peak heap and its allocation
/// sites.
struct ProfileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Profile a command or a suite benchmark: CPU flame graph (perf, or Valgrind's callgrind), differential against a baseline profile, heap peak (massif).",
        discussion: """
            Writes cpu.folded (folded stacks, for flamegraph.pl, inferno, speedscope), \
            flamegraph.svg (self-contained: click to zoom, Search, tooltips with shares), \
            diff.svg with --baseline, heap.txt with --heap, and profile.json, into --output \
            (default .metron/profiles/NAME/TIMESTAMP). metron recommend and metron report read \
            the newest profile of a benchmark there. An in-process benchmark is profiled as the \
            command that runs it: metron profile '.build/release/MyBenchmarks --filter sort'. \
            Without perf, or where perf record fails (perf_event_paranoid, a container), the \
            profile is callgrind's instead: instructions per call chain, exact, the program \
            20 to 100 times slower.
            """)

    @Argument(help: "The command to profile (one argument; split into words unless --shell is given).")
    var command: String?

    @Option(help: ArgumentHelp("Profile this benchmark of the suite file: 'suite/name [param=value]', or 'suite/name' for its first parameter combination.", valueName: "KEY"))
    var benchmark: String?

    @Option(name: [.short, .long], help: "The suite file for --benchmark.")
    var config: String = "metron.yml"

    @Option(help: ArgumentHelp("Where the files go (default .metron/profiles/NAME/TIMESTAMP).", valueName: "DIR"))
    var output: String?

    @Option(help: ArgumentHelp("A baseline profile (its cpu.folded, or the folder holding it): also draw diff.svg, frames coloured by how their share moved.", valueName: "PATH"))
    var baseline: String?

    @Option(help: "Samples per second (perf record -F).")
    var frequency: Int = 999

    @Flag(help: "Also profile the heap under Valgrind's massif: peak heap and the allocation sites holding it.")
    var heap = false

    @Flag(help: "Profile instructions under Valgrind's callgrind instead of sampling time with perf: exact and deterministic, the program 20 to 100 times slower.")
    var valgrind = false

    @Option(help: ArgumentHelp("With callgrind: the deepest call chain kept whole; deeper ones lose their outermost frames.", valueName: "FRAMES"))
    var depth: Int = 64

    @Option(name: [.customShort("S"), .long], help: "Run the command through this shell (sh, bash) instead of splitting it into words.")
    var shell: String?

    func run() async throws {
        guard (1...50_000).contains(frequency) else { throw ValidationError("--frequency must be between 1 and 50000 samples per second") }
        guard (1...1_000).contains(depth) else { throw ValidationError("--depth must be between 1 and 1000 frames") }
        let (launch, name) = try target()
        let baselineProfile = try baseline.map(Self.readBaseline)
        let perf = valgrind ? nil : ExecutableLookup.resolve("perf")
        let valgrindPath = ExecutableLookup.resolve("valgrind")
        if valgrind || heap, valgrindPath == nil {
            throw UsageFailure("metron profile \(valgrind ? "--valgrind" : "--heap") needs valgrind, which is not in PATH (apt-get install valgrind)")
        }
        if perf == nil, valgrindPath == nil {
            throw UsageFailure("metron profile needs perf (apt-get install linux-perf) or valgrind (apt-get install valgrind); neither is in PATH")
        }
        let directory = output ?? ".metron/profiles/\(Self.fileName(name))/\(Self.timestamp())"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw UsageFailure("cannot create the profile folder '\(directory)': \(error.localizedDescription)")
        }
        var profile: FoldedStacks
        var weight = ProfileSummary.Weight.samples
        if let perf, let sampled = try sample(launch, name: name, perf: perf, directory: directory, canFallBack: valgrindPath != nil) {
            profile = sampled
        } else {
            if perf == nil, !valgrind { print("perf is not in PATH: counting instructions under Valgrind's callgrind instead.") }
            profile = try count(launch, name: name, valgrind: valgrindPath!, directory: directory)
            weight = .instructions
        }
        try write(profile.text, to: directory + "/cpu.folded")
        try write(FlameGraph.svg(profile, title: "CPU: \(name) — \(weight.describe(profile.totalSamples))", unit: weight),
                  to: directory + "/flamegraph.svg")
        var lines = ["\(weight.describe(profile.totalSamples))\(weight == .instructions ? ", counted by callgrind" : ""). Hottest frames (self \(weight == .samples ? "time" : "cost")):"]
        if weight == .samples, profile.totalSamples < 200 {
            // A share p of N samples is uncertain by about √(p(1−p)/N): ±7 points at 50 samples.
            lines[0] = "\(profile.totalSamples) samples only: each share is uncertain by up to ±\(Formatting.fixed(50 / Double(profile.totalSamples).squareRoot(), digits: 0)) points "
                + "(profile more work, or raise --frequency). Hottest frames (self time):"
        }
        for share in profile.hottest(5) {
            lines.append("  \(pad(Formatting.fixed(share.exclusive * 100, digits: 1), 5)) %  \(Formatting.printable(share.frame))"
                         + "  (\(Formatting.fixed(share.inclusive * 100, digits: 1)) % with callees)")
        }
        if let baselineProfile {
            try write(FlameGraph.svg(profile, title: "CPU: \(name) against the baseline — red grew, blue shrank", baseline: baselineProfile, unit: weight),
                      to: directory + "/diff.svg")
            lines.append("Against the baseline (share of the \(weight.rawValue) with the frame on the stack):")
            for move in profile.diff(from: baselineProfile).filter({ abs($0.current - $0.baseline) >= 0.005 }).prefix(5) {
                let points = (move.current - move.baseline) * 100
                lines.append("  \(points >= 0 ? "+" : "−")\(Formatting.fixed(abs(points), digits: 1)) points  \(Formatting.printable(move.frame))"
                             + "  (\(Formatting.fixed(move.baseline * 100, digits: 1)) % → \(Formatting.fixed(move.current * 100, digits: 1)) %)")
            }
        }
        var heapProfile: HeapProfile?
        if heap, let valgrindPath {
            heapProfile = try profileHeap(launch, valgrind: valgrindPath, directory: directory)
            if let heapProfile {
                lines.append("Heap peak: \(Formatting.bytes(Double(heapProfile.peakBytes))) (+ \(Formatting.bytes(Double(heapProfile.extraBytes))) allocator overhead). Largest sites:")
                for site in heapProfile.sites.prefix(5) {
                    lines.append("  \(pad(Formatting.bytes(Double(site.bytes)), 10))  \(Formatting.printable(site.location))"
                                 + (site.calledFrom.map { " ← \(Formatting.printable($0))" } ?? ""))
                }
            }
        }
        let record = ProfileSummary(profile, weight: weight, name: name, command: launch.arguments.joined(separator: " "), heapPeakBytes: heapProfile?.peakBytes,
                                    startedAt: Timestamp(secondsSinceEpoch: MonotonicClock.wallClockSeconds()).iso8601)
        try write(String(decoding: try JSONExport.encoder().encode(record), as: UTF8.self) + "\n", to: directory + "/profile.json")
        lines.append("Wrote \(directory)/flamegraph.svg\(baselineProfile == nil ? "" : ", diff.svg"), cpu.folded\(heap ? ", heap.txt" : "").")
        print(lines.joined(separator: "\n"))
    }

    /// The perf profile; nil when perf record fails and callgrind can stand in (the reason printed).
    func sample(_ launch: LaunchSpec, name: String, perf: String, directory: String, canFallBack: Bool) throws -> FoldedStacks? {
        print("Profiling \(name) with perf record (cpu-clock, \(frequency) Hz)…")
        let recorded = try Self.runTool(perf, ["record", "-F", String(frequency), "-e", "cpu-clock", "-g", "-o", directory + "/perf.data", "--",
                                               launch.executablePath] + launch.arguments.dropFirst(), directory: launch.directory,
                                      environment: launch.environment)
        defer { try? FileManager.default.removeItem(atPath: directory + "/perf.data") }
        guard recorded.status == 0 else {
            let reason = "perf record failed (exit \(recorded.status)): \(Self.firstLine(recorded.stderr) ?? "no message")"
                + (recorded.stderr.contains("paranoid") ? " — try: sudo sysctl kernel.perf_event_paranoid=1" : "")
            guard canFallBack else { throw UsageFailure(reason) }
            print("\(reason)\nCounting instructions under Valgrind's callgrind instead.")
            return nil
        }
        let script = try Self.runTool(perf, ["script", "-i", directory + "/perf.data"], directory: nil)
        guard script.status == 0 else { throw UsageFailure("perf script failed: \(Self.firstLine(script.stderr) ?? "no message")") }
        let profile = FoldedStacks.parse(perfScript: Self.demangled(script.stdout))
        guard profile.totalSamples > 0 else {
            throw UsageFailure("perf recorded no samples: the command ended too quickly for \(frequency) Hz (raise --frequency, or profile more work)")
        }
        return profile
    }

    /// The callgrind profile: every process of the run (children followed), each chain of up to
    /// `depth` callers its own context, the instructions of each context one stack's weight.
    func count(_ launch: LaunchSpec, name: String, valgrind: String, directory: String) throws -> FoldedStacks {
        print("Profiling \(name) under Valgrind's callgrind (instructions, call chains of up to \(depth) frames)…")
        let scratch = directory + "/callgrind"
        func attempt(_ program: String, environment: [String: String]) throws -> (status: Int32, log: String, stderr: String) {
            try? FileManager.default.removeItem(atPath: scratch)
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            let arguments = ["--tool=callgrind", "--separate-callers=\(depth)", "--compress-strings=no", "--compress-pos=no",
                             "--trace-children=yes", "--callgrind-out-file=\(scratch)/callgrind.out.%p", "--log-file=\(scratch)/valgrind.%p.log",
                             "--", program] + launch.arguments.dropFirst()
            let run = try Self.runTool(valgrind, arguments, directory: launch.directory, environment: environment)
            let logs = ((try? FileManager.default.contentsOfDirectory(atPath: scratch)) ?? []).filter { $0.hasPrefix("valgrind.") }.sorted()
            let log = logs.compactMap { FileManager.default.contents(atPath: "\(scratch)/\($0)") }
                .map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
            return (run.status, log, run.stderr)
        }
        var variables = ValgrindSimulation.deterministicEnvironment.filter { ProcessInfo.processInfo.environment[$0.key] == nil }
            .merging(launch.environment) { _, benchmark in benchmark }
        var run = try attempt(launch.executablePath, environment: variables)
        if run.status != 0, ValgrindSimulation.isDebugInfoFailure(ValgrindSimulation.Failure(description: run.log)),
           let copy = ValgrindSimulation.withoutDebugInfo(launch.executablePath, in: directory) {
            // Valgrind 3.19 cannot read Swift 6's DWARF 5; the symbol table, which names the
            // frames, survives --strip-debug.
            defer { try? FileManager.default.removeItem(atPath: copy.path) }
            variables.merge(copy.environment) { _, new in new }
            run = try attempt(copy.path, environment: variables)
        }
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        guard run.status == 0 else {
            let reason = ValgrindSimulation.firstComplaint(run.log) ?? Self.firstLine(run.stderr) ?? "no message"
            throw UsageFailure("the command exited with code \(run.status) under callgrind: \(Formatting.printable(reason))")
        }
        var profile = FoldedStacks()
        let outputs = ((try? FileManager.default.contentsOfDirectory(atPath: scratch)) ?? []).filter { $0.hasPrefix("callgrind.out.") }.sorted()
        for file in outputs {
            guard let data = FileManager.default.contents(atPath: "\(scratch)/\(file)") else { continue }
            do {
                let part = try FoldedStacks.parse(callgrind: Self.demangled(String(decoding: data, as: UTF8.self)))
                profile.counts.merge(part.counts, uniquingKeysWith: +)
            } catch {
                throw UsageFailure("callgrind's \(file) cannot be read: \(error)")
            }
        }
        guard profile.totalSamples > 0 else { throw UsageFailure("callgrind counted no instructions: \(ValgrindSimulation.firstComplaint(run.log) ?? "no output")") }
        return profile
    }

    func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }

    /// The launch and display name: the suite benchmark's command, or the command given.
    func target() throws -> (LaunchSpec, String) {
        switch (command, benchmark) {
        case (nil, nil): throw ValidationError("name a command to profile, or --benchmark NAME from the suite file")
        case (.some, .some): throw ValidationError("give a command or --benchmark, not both")
        case (let command?, nil):
            let words = (try? CommandLineWords.split(command)) ?? []
            let name = words.first.map { ($0 as NSString).lastPathComponent } ?? "command"
            return (try launchSpec(command, shell: shell.map(ShellChoice.init(parsing:)) ?? .none, environment: [:]), name)
        case (nil, let benchmark?):
            let planned = try SuitePlanning.plan(config: config, suites: [], filter: nil, environment: [:])
            let commands = planned.filter { $0.inProcess == nil }
            func key(_ item: PlannedBenchmark) -> String { BenchmarkKey.of(name: item.spec.name, parameters: item.spec.parameters) }
            guard let item = commands.first(where: { key($0) == benchmark }) ?? commands.first(where: { $0.spec.name == benchmark }) else {
                let names = commands.map(key)
                throw UsageFailure("\(config) has no command benchmark '\(benchmark)'; it has: \(names.joined(separator: ", "))")
            }
            return (try launchSpec(item.spec.command, shell: shell.map(ShellChoice.init(parsing:)) ?? item.settings.shell,
                                   environment: item.spec.environment), key(item))
        }
    }

    func launchSpec(_ command: String, shell: ShellChoice, environment: [String: String]) throws -> LaunchSpec {
        do {
            return try ShellCommand.launchSpec(for: command, shell: shell, output: .discard, environment: environment)
        } catch {
            throw ValidationError("cannot start '\(command)': \(error)")
        }
    }

    /// massif over the command; heap.txt holds the peak and every site.
    func profileHeap(_ launch: LaunchSpec, valgrind: String, directory: String) throws -> HeapProfile {
        print("Profiling the heap with Valgrind's massif…")
        let out = directory + "/massif.out"
        let run = try Self.runTool(valgrind, ["--tool=massif", "--massif-out-file=\(out)", "--", launch.executablePath] + launch.arguments.dropFirst(),
                                   directory: launch.directory, environment: launch.environment)
        guard run.status == 0, let text = FileManager.default.contents(atPath: out) else {
            throw UsageFailure("massif failed (exit \(run.status)): \(Self.firstLine(run.stderr.split(separator: "\n").filter { $0.contains("rror") || $0.contains("valgrind:") }.joined(separator: "\n")) ?? "no message"); the CPU profile is in \(directory)")
        }
        let profile: HeapProfile
        do {
            profile = try HeapProfile.parse(massif: Self.demangled(String(decoding: text, as: UTF8.self)))
        } catch {
            throw UsageFailure("\(out): \(error)")
        }
        var report = "Peak heap: \(profile.peakBytes) bytes (+ \(profile.extraBytes) allocator overhead)\n\nbytes\tsite\tcalled from\n"
        for site in profile.sites { report += "\(site.bytes)\t\(site.location)\t\(site.calledFrom ?? "")\n" }
        try write(report, to: directory + "/heap.txt")
        return profile
    }

    func write(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw UsageFailure("cannot write \(path): \(error.localizedDescription)")
        }
    }

    static func readBaseline(_ path: String) throws -> FoldedStacks {
        var isDirectory: ObjCBool = false
        let file = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue ? path + "/cpu.folded" : path
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("--baseline: cannot read '\(file)'") }
        do {
            return try FoldedStacks.parse(folded: String(decoding: data, as: UTF8.self))
        } catch let error as FoldedStacks.ParseError {
            throw ValidationError("--baseline: \(file):\(error.line): \(error.reason) (folded stacks, as metron profile writes to cpu.folded)")
        }
    }

    /// Runs a tool to the end, `input` as its stdin (else /dev/null); its status, stdout and
    /// stderr, through files so that neither output can fill a pipe and stall it (the profiled
    /// command's output is the tool's, kept out of the terminal).
    static func runTool(_ path: String, _ arguments: [String], directory: String?, input: String? = nil,
                        environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String)
    {
        let files = FileManager.default
        let stem = files.temporaryDirectory.appendingPathComponent("metron-profile-\(UUID().uuidString)").path
        let (inPath, outPath, errPath) = (stem + ".in", stem + ".out", stem + ".err")
        defer { for file in [inPath, outPath, errPath] { try? files.removeItem(atPath: file) } }
        _ = files.createFile(atPath: inPath, contents: Data((input ?? "").utf8))
        _ = files.createFile(atPath: outPath, contents: nil)
        _ = files.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
        process.standardInput = input == nil ? FileHandle.nullDevice : try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try process.run()
        process.waitUntilExit()
        func text(_ path: String) -> String { String(decoding: files.contents(atPath: path) ?? Data(), as: UTF8.self) }
        return (process.terminationStatus, text(outPath), text(errPath))
    }

    /// Swift symbols in `text` demangled by the toolchain's swift-demangle (which passes other
    /// text through); the text unchanged without it.
    static func demangled(_ text: String) -> String {
        guard text.contains("$s") || text.contains("$S"), let demangler = ExecutableLookup.resolve("swift-demangle"),
              let run = try? runTool(demangler, ["--simplified"], directory: nil, input: text), run.status == 0 else { return text }
        return run.stdout
    }

    static func firstLine(_ text: String) -> String? {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
    }

    /// A benchmark name as one folder name: `suite/name [n=1]` → `suite-name-n-1`.
    static func fileName(_ name: String) -> String {
        let mapped = name.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" ? $0 : "-" }
        let collapsed = String(mapped).split(separator: "-", omittingEmptySubsequences: true).joined(separator: "-")
        return collapsed.isEmpty || collapsed.hasPrefix(".") ? "profile" + collapsed : collapsed
    }

    static func timestamp() -> String {
        String(Timestamp(secondsSinceEpoch: MonotonicClock.wallClockSeconds()).iso8601.prefix(19)).replacingOccurrences(of: ":", with: "")
    }
}
